package dev.tandem.conf.ipsec;

/** The IKEv1 phase 1 exchange of an ike rule. */
public enum Phase1Exchange {
    MAIN("ID_PROT"), AGGRESSIVE("AGGRESSIVE");

    private final String isakmpdName;

    Phase1Exchange(String isakmpdName) {
        this.isakmpdName = isakmpdName;
    }

    public String isakmpdName() {
        return isakmpdName;
    }
}
