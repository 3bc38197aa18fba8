package dev.moat.engine;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** fail, pause, wait_for, getent and slurp run on a (local) host, against Ansible 2.14's answers (control.yml). */
class ControlModulesTest {
    @TempDir Path tmp;

    @Test
    void controlModulesAnswerAsAnsible() throws Exception {
        RecordedPlay.runAndCompare(tmp, "control", false);
    }
}
