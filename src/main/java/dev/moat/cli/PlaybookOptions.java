package dev.moat.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The options apply and check share (the README's command reference). */
final class PlaybookOptions {
    @picocli.CommandLine.Mixin
    ConnectionOptions conn = new ConnectionOptions();

    @Parameters(index = "0", paramLabel = "PLAYBOOK", description = "The playbook to run.")
    Path playbook;

    @picocli.CommandLine.Mixin
    InventoryOption inventory = new InventoryOption();

    @Option(names = {"-u", "--user"}, paramLabel = "REMOTE_USER",
            description = "Connect as this user where the inventory sets no ansible_user (default: remote_user in ansible.cfg).")
    String user;

    @Option(names = {"-b", "--become"}, description = "Run tasks with sudo where neither play nor inventory says otherwise (as ansible-playbook -b).")
    boolean become;

    @Option(names = "--become-user", paramLabel = "USER", description = "The user -b becomes (default: become_user in ansible.cfg, else root).")
    String becomeUser;

    @Option(names = "--list-hosts", description = "List each play's hosts, as ansible-playbook --list-hosts; touch no host.")
    boolean listHosts;

    @Option(names = "--list-tasks", description = "List each play's tasks that the tags select, as ansible-playbook --list-tasks; touch no host.")
    boolean listTasks;

    @Option(names = "--list-tags", description = "List each play's tags, as ansible-playbook --list-tags; touch no host.")
    boolean listTags;

    @Option(names = "--start-at-task", paramLabel = "NAME",
            description = "Skip the tasks before the first one whose name (or 'role : name') matches NAME, a glob.")
    String startAtTask;

    @Option(names = "--step", description = "Ask before each task: (N)o/(y)es/(c)ontinue (needs a terminal).")
    boolean step;

    @Option(names = {"-l", "--limit"}, paramLabel = "PATTERN", description = "Further limit hosts to this pattern.")
    String limit;

    @Option(names = {"-t", "--tags"}, split = ",", paramLabel = "T", description = "Run only tasks with these tags.")
    List<String> tags = new ArrayList<>();

    @Option(names = "--skip-tags", split = ",", paramLabel = "T", description = "Skip tasks with these tags.")
    List<String> skipTags = new ArrayList<>();

    @Option(names = {"-f", "--forks"}, converter = AtLeastOne.class, description = "Hosts worked on at once (default: forks in ansible.cfg, else 100).")
    Integer forks;

    @Option(names = {"-C", "--check"}, description = "Change nothing; report what would change (exit 2 if anything would).")
    boolean check;

    @Option(names = {"-D", "--diff"}, description = "Show what changes: unified diffs for files, before/after otherwise.")
    boolean diff;

    @Option(names = {"-e", "--extra-vars"}, paramLabel = "k=v|@file|json", description = "Extra variables, highest precedence.")
    List<String> extraVars = new ArrayList<>();

    @Option(names = "--json", description = "JSON lines on stdout: run start, task results, recaps, run end.")
    boolean json;

    @Option(names = "-v", description = "More detail (-vv: commands sent and timings).")
    boolean[] verbose = new boolean[0];

    @Option(names = "--syntax-check", description = "Validate the playbook and inventory; touch no host.")
    boolean syntaxCheck;

    @Option(names = "--no-rollback", description = "Leave a failed host as it is instead of restoring it.")
    boolean noRollback;

    @Option(names = "--guard-timeout", defaultValue = "60", paramLabel = "S", converter = AtLeastOne.class,
            description = "Seconds after which an unconfirmed firewall change reverts itself (default ${DEFAULT-VALUE}).")
    int guardTimeout;

}
