package dev.moat.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Which Compose is used, from what the host has (the fact's output) and the {@code compose:} argument. */
class ComposeToolTest {
    static Stream<Arguments> table() {
        String both = "plugin\t2.29.7\nstandalone\t1.29.2\n";
        return Stream.of(
                // fact output, mode, flavour, command
                Arguments.of("plugin\t2.29.7\n", "auto", Flavour.V2, "docker compose"),
                Arguments.of("standalone\t1.29.2\n", "auto", Flavour.V1, "docker-compose"),
                Arguments.of("standalone\tv2.20.2\n", "auto", Flavour.V2, "docker-compose"),
                Arguments.of("standalone\t2.20.2\n", "auto", Flavour.V2, "docker-compose"),
                Arguments.of(both, "auto", Flavour.V1, "docker compose"),
                Arguments.of("plugin\t2.29.7\nstandalone\tv2.29.7\n", "auto", Flavour.V2, "docker compose"),
                Arguments.of(both, "v1", Flavour.V1, "docker-compose"),
                Arguments.of(both, "v2", Flavour.V2, "docker compose"),
                Arguments.of("standalone\t2.20.2\n", "v2", Flavour.V2, "docker-compose"),
                Arguments.of("standalone\t1.29.2\n", "v2", Flavour.V2, "docker compose"),
                Arguments.of("plugin\t2.29.7\n", "v1", Flavour.V1, "docker-compose"),
                Arguments.of("", "auto", Flavour.V2, null),
                Arguments.of("", "v1", Flavour.V1, "docker-compose"));
    }

    @ParameterizedTest(name = "[{0}] {1} -> {2} {3}")
    @MethodSource("table")
    void chooses(String fact, String mode, Flavour flavour, String command) {
        ComposeTool.Choice c = ComposeToolFact.parse(fact).choose(mode);
        assertEquals(flavour, c.flavour());
        assertEquals(command, c.command());
    }
}
