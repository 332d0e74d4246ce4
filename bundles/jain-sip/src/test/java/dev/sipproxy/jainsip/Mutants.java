package dev.sipproxy.jainsip;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Mutants of SIP text for the fast paths' comparisons with the stack: each base changed in one to
 * three places (a character put in, taken out or doubled, a case changed). A fixed seed keeps a
 * failure reproducible; {@code -Dmutant.seed} and {@code -Dmutant.rounds} run other and more.
 */
final class Mutants {
    private static final String PALETTE = " \t;,:<>\"@=?%[]/\\*.-+_~a1Z9";

    private Mutants() {
    }

    /** {@code mutant.rounds} (default 400) mutants of every base, from {@code mutant.seed} (default {@code defaultSeed}). */
    static List<String> of(List<String> bases, long defaultSeed) {
        Random random = new Random(Long.getLong("mutant.seed", defaultSeed));
        int rounds = Integer.getInteger("mutant.rounds", 400);
        List<String> mutants = new ArrayList<>(rounds * bases.size());
        for (int round = 0; round < rounds; round++) {
            for (String base : bases) {
                mutants.add(mutant(base, random));
            }
        }
        return mutants;
    }

    private static String mutant(String base, Random random) {
        StringBuilder b = new StringBuilder(base);
        int changes = 1 + random.nextInt(3);
        for (int i = 0; i < changes; i++) {
            int at = random.nextInt(b.length() + 1);
            switch (random.nextInt(4)) {
                case 0 -> b.insert(at, PALETTE.charAt(random.nextInt(PALETTE.length())));
                case 1 -> {
                    if (at < b.length()) {
                        b.deleteCharAt(at);
                    }
                }
                case 2 -> {
                    if (at < b.length()) {
                        b.insert(at, b.charAt(at));
                    }
                }
                default -> {
                    if (at < b.length()) {
                        char c = b.charAt(at);
                        b.setCharAt(at, Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c));
                    }
                }
            }
        }
        return b.toString();
    }
}
