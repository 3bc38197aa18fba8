package dev.moat.modules.docker;

import java.util.List;
import java.util.Map;

/**
 * What a {@code docker_container} task asks for, validated. A null option was not given: as in the
 * collection (its {@code no_defaults} behaviour), an option not given is never compared.
 * {@code ports} are the published ports in Docker's short syntax; {@code networks} the names the
 * container must be attached to; {@code devices} the device requests (GPUs) in the Engine API's form.
 */
public record ContainerWant(String name, String image, List<String> command, List<String> entrypoint, Map<String, String> env,
                            List<String> volumes, List<String> ports, String restartPolicy, Map<String, String> labels,
                            List<String> networks, List<DeviceRequest> devices, String state, boolean recreate, String pull) {
    /** One {@code device_requests} entry; null fields were not given. */
    public record DeviceRequest(String driver, Integer count, List<String> deviceIds, List<List<String>> capabilities, Map<String, String> options) {}

    public boolean wantsRunning() {
        return state.equals("started");
    }
}
