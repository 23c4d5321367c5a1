package dev.tandem.conf.ipsec;

/**
 * Bounds that keep a hostile or broken configuration from exhausting memory
 * or time. OpenBSD has only the first; the rest are Tandem's.
 *
 * @param maxTokenLength   longest word or quoted string (OpenBSD: 8096 bytes)
 * @param maxFileBytes     largest configuration or include file read
 * @param maxIncludeDepth  deepest include nesting
 * @param maxMacroValue    longest macro value
 * @param maxExpansion     total characters produced by macro expansion in one parse
 * @param maxRules         rules after list expansion, over the whole parse
 */
public record ParseLimits(int maxTokenLength, int maxFileBytes, int maxIncludeDepth,
                          int maxMacroValue, long maxExpansion, int maxRules) {

    public static final ParseLimits DEFAULT =
            new ParseLimits(8096, 16 << 20, 16, 64 << 10, 4L << 20, 250_000);
}
