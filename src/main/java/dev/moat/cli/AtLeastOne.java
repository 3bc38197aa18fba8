package dev.moat.cli;

import picocli.CommandLine;

/**
 * Reads a count or a number of seconds that must be at least 1 ({@code --timeout 0} would make
 * every connection fail at once, {@code --forks 0} would run nothing): anything else is a usage error.
 */
final class AtLeastOne implements CommandLine.ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
        int n;
        try {
            n = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a whole number");
        }
        if (n < 1) throw new CommandLine.TypeConversionException("'" + value + "' must be at least 1");
        return n;
    }
}
