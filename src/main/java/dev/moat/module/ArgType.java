package dev.moat.module;

/** The type of one module argument, checked on literal values at load time and on rendered values at run time. */
public enum ArgType {
    /** Any scalar, taken as text. */
    STRING,
    INT,
    /** Ansible's booleans: true/false, yes/no, on/off, 1/0. */
    BOOL,
    /** A list; a comma-separated string is split, as Ansible does for list arguments. */
    LIST,
    MAP,
    /** A file mode: octal text ("0644", "644") or u=rw,g=r style; an unquoted YAML int is taken as decimal and rejected unless it reads as octal, as Ansible warns. */
    MODE,
    /** Anything: a string, list or map. */
    RAW
}
