package dev.moat.repl;

import java.util.List;

import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;

/** JLine's view of {@link Completions}. */
final class ShellCompleter implements Completer {
    private final Completions completions;

    ShellCompleter(Completions completions) {
        this.completions = completions;
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        String word = line.word().substring(0, Math.min(line.wordCursor(), line.word().length()));
        List<String> words = line.words().subList(0, Math.min(line.words().size(), line.wordIndex() + 1));
        for (Completions.Candidate c : completions.candidates(words, line.wordIndex(), word)) {
            candidates.add(new Candidate(c.value(), c.value(), null, null, null, null, c.complete()));
        }
    }
}
