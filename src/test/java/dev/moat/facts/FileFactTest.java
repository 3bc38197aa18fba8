package dev.moat.facts;

import static org.junit.jupiter.api.Assertions.*;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.moat.module.FactOutput;
import dev.moat.module.TaskException;
import dev.moat.modules.LocalHost;

class FileFactTest {
    @TempDir
    Path dir;

    private FileState read(Path p) throws TaskException {
        FileFact f = new FileFact(p.toString());
        return f.parse(LocalHost.read(f));
    }

    @Test
    void parsesAFixtureExactlyAsAHostPrintsIt() throws Exception {
        byte[] out = "file 640 0 33 6 root www-data\nab\ncd\n".getBytes(StandardCharsets.UTF_8);
        FileState s = new FileFact("/etc/x").parse(new FactOutput(0, out, new byte[0]));
        assertEquals(FileState.Type.FILE, s.type());
        assertEquals("0640", s.mode());
        assertEquals("www-data", s.group());
        assertEquals(33, s.gid());
        assertEquals("ab\ncd\n", s.text());
        assertEquals(FileFact.sha256("ab\ncd\n".getBytes(StandardCharsets.UTF_8)), s.sha256());
        assertEquals("file:/etc/x", new FileFact("/etc/x").key());
    }

    @Test
    void readsARegularFileWithSpacesAndQuotesInItsName() throws Exception {
        Path p = dir.resolve("it's a \"file\" $HOME");
        Files.writeString(p, "hello\nworld");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-r-----"));
        FileState s = read(p);
        assertTrue(s.isFile());
        assertEquals("0640", s.mode());
        assertEquals("root", s.owner());
        assertEquals(0, s.uid());
        assertEquals("hello\nworld", s.text());
        assertEquals(11, s.size());
    }

    @Test
    void binaryContentComesBackByteForByte() throws Exception {
        byte[] bin = new byte[256];
        for (int i = 0; i < bin.length; i++) bin[i] = (byte) i;
        Path p = dir.resolve("bin");
        Files.write(p, bin);
        FileState s = read(p);
        assertArrayEquals(bin, s.content());
        assertNull(s.text(), "binary is not text");
        assertEquals(FileFact.sha256(bin), s.sha256());
    }

    @Test
    void emptyFileDirectoryLinkAndAbsent() throws Exception {
        Path e = Files.createFile(dir.resolve("empty"));
        assertEquals(0, read(e).content().length);
        Path d = Files.createDirectory(dir.resolve("d d"));
        assertEquals(FileState.Type.DIRECTORY, read(d).type());
        Path l = Files.createSymbolicLink(dir.resolve("l"), Path.of("target with\nnewline"));
        FileState ls = read(l);
        assertTrue(ls.isLink());
        assertEquals("target with\nnewline", ls.linkTarget());
        FileState a = read(dir.resolve("missing"));
        assertFalse(a.exists());
        assertEquals(FileState.Type.OTHER, read(Path.of("/dev/null")).type());
    }

    @Test
    void aFileOverTheCapIsReadByChecksumOnly() throws Exception {
        Path p = dir.resolve("big");
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.setLength(FileFact.CAP + 1);
        }
        FileState s = read(p);
        assertTrue(s.overCap());
        assertNull(s.content());
        assertEquals(FileFact.CAP + 1, s.size());
        assertEquals(FileFact.sha256(Files.readAllBytes(p)), s.sha256());
    }

    @Test
    void aFailedReadIsATaskError() {
        FactOutput out = new FactOutput(1, new byte[0], "cat: /x: Permission denied".getBytes(StandardCharsets.UTF_8));
        TaskException e = assertThrows(TaskException.class, () -> new FileFact("/x").parse(out));
        assertTrue(e.getMessage().contains("Permission denied"));
    }

    @Test
    void relativePathsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new FileFact("etc/x"));
    }
}
