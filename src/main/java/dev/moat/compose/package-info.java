/**
 * The pure logic of {@code compose_ports}: reading Compose port entries in every syntax
 * ({@link dev.moat.compose.PortSpec}, {@link dev.moat.compose.Interpolation}), deciding and
 * writing surgical text edits ({@link dev.moat.compose.Rewriter} over a
 * {@link dev.moat.compose.ComposeDocument}), matching containers to files and choosing what to
 * recreate ({@link dev.moat.compose.ComposePlanner}), the host reads it needs as facts
 * ({@link dev.moat.compose.ComposeFilesFact}, {@link dev.moat.compose.ContainersFact},
 * {@link dev.moat.compose.ComposeToolFact}) and the shell its steps run
 * ({@link dev.moat.compose.Scripts}). Nothing here touches a host; the module
 * The {@code compose_ports} module (modules package) wires it into the engine.
 */
package dev.moat.compose;
