package dev.moat.scan;

import java.util.Objects;

/**
 * One row of a scan report: on {@code host}, what was checked ({@code check}, e.g. {@code port 8000},
 * {@code vault api.h1.test}, {@code compose /opt/ai/docker-compose.yml}), the verdict, what was seen,
 * and for a problem the playbook task or variable that fixes it ({@code fix}, null when none applies).
 */
public record Finding(String host, String check, Verdict verdict, String detail, String fix) {
    public Finding {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(verdict, "verdict");
        detail = detail == null ? "" : detail;
    }

    public static Finding of(String host, String check, Verdict verdict, String detail) {
        return new Finding(host, check, verdict, detail, null);
    }
}
