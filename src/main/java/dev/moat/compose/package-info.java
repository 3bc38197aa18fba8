/**
 * The one Compose model of moat, shared by the {@code compose_ports} module and by
 * {@code moat scan --inside}: where compose files are searched ({@link dev.moat.compose.ComposeSearch}),
 * what a port entry publishes in every syntax ({@link dev.moat.compose.PortEntry},
 * {@link dev.moat.compose.PortSpec}, {@link dev.moat.compose.Interpolation}), containers as
 * {@code docker inspect} reports them ({@link dev.moat.compose.Container}) and the loopback test
 * ({@link dev.moat.compose.Ip}). For {@code compose_ports} also: deciding and writing surgical
 * text edits ({@link dev.moat.compose.Rewriter} over a {@link dev.moat.compose.ComposeDocument}),
 * matching containers to files and choosing what to recreate ({@link dev.moat.compose.ComposePlanner}),
 * the host reads as facts ({@link dev.moat.compose.ComposeFilesFact},
 * {@link dev.moat.compose.ContainersFact}, {@link dev.moat.compose.ComposeToolFact}) and the shell
 * its steps run ({@link dev.moat.compose.Scripts}). For {@code container_ports}, the containers
 * started outside Compose: their whole configuration ({@link dev.moat.compose.ContainerConfig}),
 * the Engine API body that makes them again ({@link dev.moat.compose.CreateBody}), the decision
 * ({@link dev.moat.compose.RunPlanner}) and the files that start them
 * ({@link dev.moat.compose.DockerRun}, {@link dev.moat.compose.StartFilesFact}). Nothing here touches a host; the module
 * (modules package) wires it into the engine, the scanner (scan package) into its audit.
 */
package dev.moat.compose;
