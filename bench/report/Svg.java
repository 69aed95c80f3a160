package report;

/** What the charts share: the font, escaping, and a colour per variant. */
final class Svg {
    static final String FONT = "font-family=\"sans-serif\" font-size=\"12\"";

    private Svg() {}

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** Green for a jobserver variant (lighter for claim and auto), red for the oversubscribing ones, grey otherwise. */
    static String colour(String variant) {
        switch (variant) {
            case "dynamic":
            case "serve":
            case "jobs4":
                return "#2a9d55";
            case "claim":
            case "auto":
                return "#7cbf8e";
            case "t4":
            case "exec-j4":
                return "#d9534f";
            default:
                return "#8c8c8c";
        }
    }
}
