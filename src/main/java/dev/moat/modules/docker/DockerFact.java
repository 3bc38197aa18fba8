package dev.moat.modules.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.moat.module.Fact;
import dev.moat.module.FactOutput;
import dev.moat.module.TaskException;
import dev.moat.transport.Sh;

/**
 * One Docker object as {@code docker KIND inspect NAME} reports it ({@code kind} is container,
 * image or network): the inspect's first element, or a missing node when nothing has that name.
 * A host without the docker CLI, or whose daemon does not answer, fails the read by name, as the
 * collection's modules fail when they cannot reach the Docker API.
 */
public record DockerFact(String kind, String name) implements Fact<JsonNode> {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Whatever changes a container, image or network makes every docker read stale: keys share this prefix. */
    public static final String PREFIX = "docker:";

    @Override
    public String key() {
        return PREFIX + kind + ":" + name;
    }

    @Override
    public String script() {
        return "command -v docker >/dev/null 2>&1 || { echo 'docker: the docker CLI is not installed' >&2; exit 3; }\n"
                + "docker version --format '{{.Server.Version}}' >/dev/null 2>&1 || { echo 'docker: the Docker daemon does not answer' >&2; exit 3; }\n"
                + "docker " + kind + " inspect " + Sh.q(name) + " 2>/dev/null || echo '[]'\n";
    }

    @Override
    public JsonNode parse(FactOutput out) throws TaskException {
        if (out.rc() != 0) throw new TaskException(out.errText().strip().isEmpty() ? "cannot inspect " + kind + " " + name : out.errText().strip());
        return parse(out.text());
    }

    /** The first element of an inspect array, or a missing node. */
    public static JsonNode parse(String text) throws TaskException {
        String t = text.strip();
        if (t.isEmpty()) return JSON.missingNode();
        try {
            JsonNode root = JSON.readTree(t.startsWith("[]") && t.length() > 2 ? t.substring(2).strip() : t);
            return root != null && root.isArray() && root.size() > 0 ? root.get(0) : JSON.missingNode();
        } catch (Exception e) {
            throw new TaskException("cannot read docker inspect output: " + e.getMessage());
        }
    }
}
