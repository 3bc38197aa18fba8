package dev.moat.template;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lookups beyond env and file, and the search that finds their files (Ansible's rules). */
class LookupsTest {
    @TempDir Path dir;
    private final Secrets secrets = new Secrets();

    private Object r(String s, Map<String, Object> vars) {
        return new Templar(dir, secrets).render(s, Vars.of(vars));
    }

    private Object r(String s) {
        return r(s, Map.of("name", "vllm", "port", 8000));
    }

    @Test
    void passwordIsGeneratedOnceStoredOwnerOnlyAndReusedAndSecret() throws Exception {
        String pw = (String) r("{{ lookup('password', 'creds/api chars=digits length=12') }}");
        assertTrue(pw.matches("\\d{12}"), pw);
        Path file = dir.resolve("creds/api");
        assertEquals(pw + "\n", Files.readString(file));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
        assertEquals(pw, r("{{ lookup('password', 'creds/api chars=digits length=12') }}"), "the stored one is reused");
        assertTrue(secrets.contains("x " + pw), "a generated password is masked in output");
        assertEquals(20, ((String) r("{{ lookup('password', '/dev/null') }}")).length());
        assertThrows(TemplateException.class, () -> r("{{ lookup('password', 'x encrypt=sha512_crypt') }}"));
    }

    @Test
    void fileAndTemplateLookupsSearchFilesAndTemplatesThenThePlaybookDir() throws Exception {
        Files.createDirectories(dir.resolve("files"));
        Files.createDirectories(dir.resolve("templates"));
        Files.writeString(dir.resolve("files/a.txt"), "from files\n");
        Files.writeString(dir.resolve("b.txt"), "beside the playbook");
        Files.writeString(dir.resolve("templates/t.j2"), "{{ name }} on {{ port }}{{ '\\n' }}");
        assertEquals("from files", r("{{ lookup('file', 'a.txt') }}"));
        assertEquals("beside the playbook", r("{{ lookup('file', 'b.txt') }}"));
        assertEquals("vllm on 8000\n", r("{{ lookup('template', 't.j2') }}"), "a template file reads '\\n' as a newline");
        assertTrue(((TemplateException) assertThrows(TemplateException.class, () -> r("{{ lookup('file', 'nope') }}")))
                .getMessage().contains("no such file"));
    }

    @Test
    void firstFoundLooksInTheRoleBeforeThePlaybook() throws Exception {
        Path role = dir.resolve("roles/r");
        Files.createDirectories(role.resolve("vars"));
        Files.createDirectories(dir.resolve("vars"));
        Files.writeString(role.resolve("vars/Debian.yml"), "a: 1");
        Files.writeString(dir.resolve("vars/default.yml"), "a: 2");
        List<Path> search = FileSearch.searchPath(dir, role, "vars");
        assertEquals(Optional.of(role.resolve("vars/Debian.yml")), FileSearch.firstFound(List.of("Ubuntu.yml", "Debian.yml", "default.yml"), search));
        assertEquals(Optional.of(dir.resolve("vars/default.yml")), FileSearch.firstFound(List.of(Map.of("files", "Ubuntu.yml,default.yml")), search));
        assertEquals(Optional.empty(), FileSearch.firstFound(List.of("nope.yml"), search));
        assertTrue(FileSearch.skips(List.of(Map.of("files", List.of("x"), "skip", true))));

        Map<String, Object> vars = new LinkedHashMap<>();
        vars.put("role_path", role.toString());
        Files.createDirectories(role.resolve("files"));
        Files.writeString(role.resolve("files/Debian.conf"), "x");
        assertEquals(role.resolve("files/Debian.conf").toString(), r("{{ lookup('first_found', ['Ubuntu.conf', 'Debian.conf']) }}", vars));
        assertEquals(List.of(), r("{{ query('first_found', {'files': ['none.conf'], 'skip': true}) }}", vars));
        assertThrows(TemplateException.class, () -> r("{{ lookup('first_found', ['none.conf']) }}", vars));
        assertNull(r("{{ lookup('first_found', ['none.conf'], errors='ignore') }}", vars), "errors='ignore' gives none");
    }

    @Test
    void fileglobVarsAndVarnames() throws Exception {
        Files.createDirectories(dir.resolve("files/conf.d"));
        Files.writeString(dir.resolve("files/conf.d/b.conf"), "");
        Files.writeString(dir.resolve("files/conf.d/a.conf"), "");
        Files.writeString(dir.resolve("files/conf.d/c.txt"), "");
        assertEquals(List.of(dir.resolve("files/conf.d/a.conf").toString(), dir.resolve("files/conf.d/b.conf").toString()),
                r("{{ query('fileglob', 'conf.d/*.conf') }}"));
        assertEquals("vllm", r("{{ lookup('vars', 'name') }}"));
        assertEquals(List.of("vllm", 8000), r("{{ lookup('vars', 'name', 'port') }}"), "not all strings: a list, as Ansible");
        assertEquals("d", r("{{ lookup('vars', 'nope', default='d') }}"));
        assertEquals(List.of("port"), r("{{ query('varnames', '^po') }}"));
    }

    @Test
    void commandsAndUrlsAreRefusedByName() {
        for (String k : List.of("pipe", "lines")) {
            assertTrue(assertThrows(TemplateException.class, () -> r("{{ lookup('" + k + "', 'id') }}")).getMessage()
                    .contains("runs a command on the controller"), k);
        }
        assertTrue(assertThrows(TemplateException.class, () -> r("{{ lookup('url', 'http://127.0.0.1/') }}")).getMessage()
                .contains("the controller fetches nothing"));
    }
}
