package dev.tandem.ike.policy;

/**
 * The isakmpd configuration asks for something the IKE daemon cannot do, or
 * is incomplete. The message names the section and the field, e.g. "phase 2
 * transform AES_CTR is not supported by the data plane
 * ([phase2-transform-...]:TRANSFORM_ID)".
 */
public final class IkePolicyException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String section;
    private final String field;

    public IkePolicyException(String section, String field, String problem) {
        super(problem + " ([" + section + "]" + (field == null ? "" : ":" + field) + ")", null, false, false);
        this.section = section;
        this.field = field;
    }

    /** The isakmpd section at fault. */
    public String section() {
        return section;
    }

    /** The tag within it, or null when the section itself is missing. */
    public String field() {
        return field;
    }
}
