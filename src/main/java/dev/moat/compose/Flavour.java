package dev.moat.compose;

/**
 * Which Compose reads the file. V1 is the Python docker-compose 1.x (Debian 12's 1.29): its schema
 * rejects {@code host_ip} in the long port syntax, so long entries are rewritten into the short
 * form for it. V2 is the Go Compose (plugin or standalone binary).
 */
public enum Flavour {
    V1, V2
}
