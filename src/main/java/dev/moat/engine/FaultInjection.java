package dev.moat.engine;

/**
 * Fault injection for the end-to-end tests, in one place: {@code MOAT_FAULT_PAUSE_BEFORE_CONFIRM=S}
 * holds a guarded change for S seconds before its confirmation, so a test can kill moat inside the window.
 */
final class FaultInjection {
    private FaultInjection() {}

    static void pauseBeforeConfirm() {
        String s = System.getenv("MOAT_FAULT_PAUSE_BEFORE_CONFIRM");
        if (s == null || s.isBlank()) return;
        try {
            Thread.sleep(Long.parseLong(s.trim()) * 1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (NumberFormatException e) {
            // not a number: no pause
        }
    }
}
