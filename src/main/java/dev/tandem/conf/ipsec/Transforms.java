package dev.tandem.conf.ipsec;

/**
 * The transforms named in a rule; a null member was not written.
 * Defaults are applied later, by SA validation or by the isakmpd translation.
 */
public record Transforms(AuthAlgorithm auth, EncAlgorithm enc, CompAlgorithm comp, DhGroup group) {

    public static final Transforms EMPTY = new Transforms(null, null, null, null);

    public Transforms withAuth(AuthAlgorithm a) {
        return new Transforms(a, enc, comp, group);
    }

    public Transforms withEnc(EncAlgorithm e) {
        return new Transforms(auth, e, comp, group);
    }

    public Transforms withComp(CompAlgorithm c) {
        return new Transforms(auth, enc, c, group);
    }

    public Transforms withGroup(DhGroup g) {
        return new Transforms(auth, enc, comp, g);
    }
}
