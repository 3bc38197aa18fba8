package dev.moat.scan;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** What a scanned service sends can neither repaint the operator's terminal nor turn EXPOSED into a probe failure. */
class HostileServiceTest {
    @Test
    void escapeSequencesAreShownNeverPrinted() {
        Finding f = Finding.of("h1", "port 8000", Verdict.EXPOSED, "open; 200 \u001b[2J\u001b]0;pwned\u0007 on /\r\n\u009b31m");
        assertEquals("open; 200 \\x1b[2J\\x1b]0;pwned\\x07 on /\\x0d\\x0a\\x9b31m", f.detail());
        assertEquals("caf\u00e9 \u4e2d", Finding.of("h", "c", Verdict.OK, "caf\u00e9 \u4e2d").detail(), "printable text is kept");
    }

    @Test
    void malformedHttpNeverThrows() {
        for (String raw : new String[] {
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n-5\r\nabc\r\n0\r\n\r\n",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n7fffffff\r\nabc",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n",
                "HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999999\r\n\r\nx",
                "HTTP/1.1 999999999999 OK\r\n\r\n",
                "HTTP/"}) {
            byte[] b = raw.getBytes(StandardCharsets.ISO_8859_1);
            assertDoesNotThrow(() -> HttpProbe.parse(b), raw);
        }
    }

    @Test
    void anOpenPortThatAnswersGarbageIsStillAnOpenPort() {
        String what = ServiceIdentifier.identify(8000, path -> {
            throw new IllegalStateException("the parser choked");
        });
        assertEquals("open; answers HTTP moat cannot parse", what);
        what = ServiceIdentifier.identify(8000, path -> {
            if (path.equals("/")) return HttpProbe.parse("HTTP/1.1 200 OK\r\n\r\n{".getBytes(StandardCharsets.ISO_8859_1));
            throw new ArrayIndexOutOfBoundsException(3);
        });
        assertTrue(what.startsWith("open; "), what);
    }
}
