package dev.moat.journal;

import java.util.List;

/**
 * What undoes a planned change. A module declares it in its plan, before anything changes; the
 * journal takes the snapshot it implies on the host before the first step runs, and rollback
 * replays undos in reverse order. Where exact reversal is impossible the module says so with
 * {@link Irreversible}, never silently.
 */
public sealed interface Undo {
    /** Restore a path byte for byte with mode, owner and group, or remove it if it did not exist. */
    record RestorePath(String path) implements Undo {}

    /**
     * Restore the path that the host's journal entry names, as {@link RestorePath} does: for an
     * entry whose path was made from a secret (a vaulted user name in a home directory), which the
     * run record on the controller keeps masked only ({@code shown}: {@code ********}, or
     * {@code /home/********} where only part of it was secret).
     * The journal on the host (root-only, beside the file it names anyway) keeps the real path, so
     * {@code moat rollback} can restore it without the controller ever storing or printing the
     * secret: the path is read on the host ({@code SEQ/path}), and every message names {@code shown}.
     */
    record RestoreJournaledPath(String shown) implements Undo {
        public RestoreJournaledPath {
            if (shown == null || shown.isEmpty() || shown.indexOf('\n') >= 0 || shown.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("not a masked path: '" + shown + "'");
            }
        }
    }

    /**
     * Restore UFW's rules and enabled state (the files under /etc/ufw and {@code ufw status}), then
     * reload ufw. A default policy lives in /etc/default/ufw, journaled as a path beside it.
     */
    record RestoreFirewall() implements Undo {}

    /** Remove packages this run newly installed. */
    record RemovePackages(List<String> names) implements Undo {}

    /** Put a service back to how it was: running or not, enabled or not (null when unknown). */
    record RestoreService(String name, boolean running, Boolean enabled) implements Undo {}

    /**
     * After its file is restored, recreate these compose services so their bindings match it again:
     * as the same project ({@code project}, null: Compose's default), from the same directory and
     * the same {@code files}; {@code stopped} services are recreated without being started.
     */
    record RecreateCompose(String composeFile, List<String> services, String project, String dir, List<String> files,
                           List<String> stopped) implements Undo {
        public RecreateCompose {
            services = List.copyOf(services);
            files = files == null || files.isEmpty() ? List.of(composeFile) : List.copyOf(files);
            stopped = stopped == null ? List.of() : List.copyOf(stopped);
        }

        /** A record from before projects were kept: the file's directory and Compose's default project. */
        public RecreateCompose(String composeFile, List<String> services) {
            this(composeFile, services, null, null, null, null);
        }
    }

    /**
     * Put back container {@code name} (ID {@code id}) that a change replaced by a copy with other
     * bindings: the journal saves its inspect, exact bindings and running state before the change;
     * the restore makes it again from the create body in {@code saved} (a directory, see
     * {@link ContainerControl#saved}) and replaces the copy with it, in the same order as the change.
     * Holds a name, an ID and a path only: the configuration (env values included) stays on the host.
     */
    record RecreateContainer(String name, String id, String saved) implements Undo {}

    /**
     * After the files of a change are restored, make {@code service} load them again (e.g. reload
     * nginx when it runs). Holds the service's name only, never a command: the journal builds the
     * reload from the name when it restores ({@link ServiceReload}), so a run record read back
     * cannot make a rollback run shell text. {@code restart}: restart the unit (after a
     * {@code daemon-reload}) rather than reload it, for a unit whose command line was restored; the
     * name {@code systemd} is systemd's own {@code daemon-reload}. List it before the paths it
     * follows: undo replays newest first, so it then runs after their restore.
     */
    record Reload(String service, boolean restart) implements Undo {
        public Reload {
            if (service == null || !ServiceReload.NAME.matcher(service).matches()) {
                throw new IllegalArgumentException("not a service name: '" + service + "'");
            }
        }
    
        /** A reload (if the service runs): what a restored configuration file needs. */
        public Reload(String service) {
            this(service, false);
        }
    }

    /**
     * Put a systemd unit back as it was: masked or not, enabled or not (null: leave as it is), active
     * or not ({@link ServiceControl#restoreUnit}). A masked unit is masked again after being stopped if
     * it was inactive; an unmasked one is unmasked first, then enabled or disabled, then started or stopped.
     */
    record RestoreUnit(String name, boolean active, Boolean enabled, boolean masked) implements Undo {
        public RestoreUnit {
            if (name == null || !ServiceReload.NAME.matcher(name).matches() || name.startsWith("-")) {
                throw new IllegalArgumentException("not a unit name: '" + name + "'");
            }
        }
    }

    /**
     * Put a kernel parameter's live value back ({@code sysctl -w}); the files it was written to are
     * journaled as paths beside it. {@code value} is what {@code /proc/sys} read before the change.
     */
    record RestoreSysctl(String name, String value) implements Undo {
        public RestoreSysctl {
            if (name == null || !name.matches("[A-Za-z0-9_][A-Za-z0-9_./-]*")) throw new IllegalArgumentException("not a sysctl name: '" + name + "'");
            if (value == null || value.indexOf('\n') >= 0 || value.indexOf('\0') >= 0) throw new IllegalArgumentException("not a sysctl value");
        }
    }

    /**
     * Remove what a change made under {@code name}: a {@code container}, {@code network} or
     * {@code image} (a repository:tag), or for {@code compose} the containers of project
     * {@code name}'s {@code services}. The snapshot notes what existed before the change (the ID under
     * the name, or the project's container IDs); the restore removes only what is there now and was
     * not then ({@link DockerControl}). Holds names only, never shell text.
     */
    record RemoveDocker(String kind, String name, List<String> services) implements Undo {
        public RemoveDocker {
            if (kind == null || !kind.matches("container|network|image|compose")) throw new IllegalArgumentException("not a docker object kind: '" + kind + "'");
            if (name == null || !DockerControl.NAME.matcher(name).matches()) throw new IllegalArgumentException("not a docker name: '" + name + "'");
            services = services == null ? List.of() : List.copyOf(services);
            for (String s : services) {
                if (!DockerControl.NAME.matcher(s).matches()) throw new IllegalArgumentException("not a compose service name: '" + s + "'");
            }
        }

        public RemoveDocker(String kind, String name) {
            this(kind, name, List.of());
        }
    }

    /**
     * Put a package's dpkg selection back ({@code dpkg --set-selections}): {@code selection} is what
     * {@code dpkg --get-selections} said before the change (install, hold, deinstall or purge).
     */
    record RestoreSelection(String name, String selection) implements Undo {
        public RestoreSelection {
            if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9+.:_-]*")) throw new IllegalArgumentException("not a package name: '" + name + "'");
            if (!List.of("install", "hold", "deinstall", "purge").contains(selection)) throw new IllegalArgumentException("not a selection: '" + selection + "'");
        }
    }

    /**
     * Unmount {@code path} (a mount a change made), when it is still a mount point; with
     * {@code removeDir}, then remove the mount point directory the change created, only if empty
     * ({@code rmdir}), so a failed unmount never removes what is mounted there.
     */
    record Unmount(String path, boolean removeDir) implements Undo {
        public Unmount {
            if (path == null || !path.startsWith("/") || path.indexOf('\n') >= 0 || path.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("not an absolute path: '" + path + "'");
            }
        }
    }

    /** Cannot be undone exactly; {@code what} says what stays (a command, an upgrade, a restart). */
    record Irreversible(String what) implements Undo {}
}
