package dev.moat.module;

import java.util.List;

/**
 * A module: a kind of resource on a host that moat can check and converge.
 *
 * <p>The engine drives a module in four pure-or-declared steps, in the style of pyinfra and mgmt:
 * <ol>
 *   <li>{@link #spec()} declares the arguments once; the playbook loader validates names, required
 *       arguments and literal types against it before any host is touched.</li>
 *   <li>{@link #bind(Args)} turns rendered, type-checked arguments into the module's own record,
 *       rejecting what the spec cannot express (mutual exclusions, formats) with an {@link ArgException}.</li>
 *   <li>{@link #reads(Object)} declares what must be read on the host. The engine batches the reads of
 *       every task of a play into one remote script per host.</li>
 *   <li>{@link #plan(Object, Facts, PlanContext)} decides, without touching the host, the steps that
 *       would converge it, their diffs and what undoes them. An empty plan means converged: the
 *       engine, not the module, counts "changed". Only the engine executes the steps.</li>
 * </ol>
 *
 * @param <A> the module's validated arguments
 */
public interface Module<A> {
    /** The key that names this module in a task, e.g. {@code copy}. */
    String name();

    Spec spec();

    A bind(Args args) throws ArgException;

    /** Facts to read before planning; the engine deduplicates them by key across tasks. */
    List<Fact<?>> reads(A args);

    /**
     * Facts to read, for a module whose reads depend on controller files (an {@code unarchive} of a
     * controller-side archive reads the host paths the archive lists). The engine calls this form;
     * by default it is {@link #reads(Object)}.
     */
    default List<Fact<?>> reads(A args, PlanContext ctx) throws TaskException {
        return reads(args);
    }

    /** Pure: the steps that would bring the host to the declared state, given the facts read. */
    Plan plan(A args, Facts facts, PlanContext ctx) throws TaskException;

    /**
     * Whether this module ever touches the host. Local modules ({@code debug}, {@code assert})
     * need no connection and record no undo.
     */
    default boolean local() {
        return false;
    }
}
