package dev.moat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.moat.config.ConfigEnv;

/**
 * {@code --list-tasks}, {@code --list-tags} (alone, with {@code --tags}, {@code --skip-tags} and
 * {@code --list-hosts}) against what {@code ansible-playbook} printed for the same playbook: a
 * role, a block with rescue and a {@code never} task, an import, a dynamic include, pre and post
 * tasks (recorded by {@code src/test/resources/cli/listtasks/record.sh}).
 */
class PlaybookListingTest {
    private static final Path DIR = Path.of("src/test/resources/cli/listtasks").toAbsolutePath();

    @TempDir
    Path tmp;

    @AfterEach
    void restore() {
        Cfg.env = ConfigEnv::system;
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "list-tasks.txt|--list-tasks",
            "list-tags.txt|--list-tags",
            "list-tasks-tags.txt|--list-tasks --tags packages,db",
            "list-tasks-skip.txt|--list-tasks --skip-tags play1",
            "list-all.txt|--list-tasks --list-tags --list-hosts"})
    void listsAsAnsiblePlaybookDoes(String expected, String flags) throws Exception {
        Cfg.env = () -> new ConfigEnv(Map.of(), DIR, tmp);
        List<String> args = new ArrayList<>(List.of("apply", "site.yml", "-i", DIR.resolve("hosts").toString()));
        args.addAll(List.of(flags.split(" ")));
        StringWriter out = new StringWriter(), err = new StringWriter();
        String site = DIR.resolve("site.yml").toString();
        args.set(1, site);
        int code = Main.execute(args.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err));
        assertEquals(0, code, err.toString());
        assertEquals(Files.readString(DIR.resolve(expected)).replace("playbook: site.yml", "playbook: " + site), out.toString());
    }
}
