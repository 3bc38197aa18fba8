package dev.moat.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IpTest {
    @ParameterizedTest(name = "{0}: ip={1} loopback={2} unspecified={3}")
    @CsvSource({
        "127.0.0.1, true, true, false",
        "127.1.2.3, true, true, false",
        "0.0.0.0, true, false, true",
        "10.0.0.1, true, false, false",
        "256.0.0.1, false, false, false",
        "1.2.3, false, false, false",
        "::1, true, true, false",
        "[::1], true, true, false",
        "0:0:0:0:0:0:0:1, true, true, false",
        "::, true, false, true",
        "[::], true, false, true",
        "::ffff:127.0.0.1, true, true, false",
        "2001:db8::1, true, false, false",
        "fe80::1%eth0, true, false, false",
        "1::2::3, false, false, false",
        "localhost, false, false, false",
        "'', false, false, false",
        "12345::, false, false, false",
    })
    void classifies(String ip, boolean valid, boolean loopback, boolean unspecified) {
        assertEquals(valid, Ip.isIp(ip));
        assertEquals(loopback, Ip.isLoopback(ip));
        assertEquals(unspecified, Ip.isUnspecified(ip));
    }

    @ParameterizedTest(name = "{0}: loopback host={1}")
    @CsvSource({"localhost, true", "LOCALHOST, true", "127.0.0.1, true", "[::1], true", "gpu1, false", "0.0.0.0, false", "'', false"})
    void aListenHostMayBeTheNameLocalhost(String host, boolean loopback) {
        assertEquals(loopback, Ip.isLoopbackHost(host));
    }
}
