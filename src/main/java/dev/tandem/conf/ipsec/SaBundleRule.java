package dev.tandem.conf.ipsec;

/** Links two SAs of a "bundle" so they are applied together (PF_KEY SADB_X_GRPSPIS). */
public record SaBundleRule(int number, Host dst, SaType saType, Spi spi,
                           Host dst2, SaType saType2, Spi spi2) implements IpsecRule {
}
