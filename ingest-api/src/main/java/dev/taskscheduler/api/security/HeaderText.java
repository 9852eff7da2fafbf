package dev.taskscheduler.api.security;

import java.util.function.Predicate;

/**
 * The firewall's rule for header names and values, and parameter names: every character assigned
 * in Unicode and none a control character, except that a header value may hold tabs. It is the
 * rule of Spring Security's {@code StrictHttpFirewall}, which states it as a regular expression
 * and runs it on the name and value of every header a request reads, several per request: 3 % of
 * the request threads' CPU samples on the single-task endpoint once warm. Here printable ASCII,
 * nearly every header, is checked with one comparison per character, and anything else by its
 * Unicode category as the expression does.
 */
final class HeaderText {

    static final Predicate<String> NAMES = text -> text != null && allowed(text, false);
    static final Predicate<String> VALUES = text -> text == null || allowed(text, true);

    private HeaderText() {
    }

    private static boolean allowed(String text, boolean tabAllowed) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c >= 0x7F) {
                return allowedByCategory(text, i, tabAllowed);
            }
        }
        return true;
    }

    /** Code points from {@code from} on, a surrogate pair as one, like the regular expression. */
    private static boolean allowedByCategory(String text, int from, boolean tabAllowed) {
        for (int i = from; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            int category = Character.getType(codePoint);
            boolean allowed = codePoint == '\t' ? tabAllowed
                    : category != Character.UNASSIGNED && category != Character.CONTROL;
            if (!allowed) {
                return false;
            }
            i += Character.charCount(codePoint);
        }
        return true;
    }
}
