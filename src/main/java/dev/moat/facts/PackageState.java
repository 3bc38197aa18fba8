package dev.moat.facts;

/**
 * One Debian package as dpkg knows it: installed or not, and the installed version (null when not
 * installed). {@code status} is dpkg's abbreviated status ("ii", "rc", "un"), or "" when dpkg has never
 * heard of the package.
 */
public record PackageState(String name, boolean installed, String version, String status) {
}
