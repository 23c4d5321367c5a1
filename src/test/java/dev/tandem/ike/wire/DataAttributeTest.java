package dev.tandem.ike.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class DataAttributeTest {

    private static List<DataAttribute> roundTrip(DataAttribute... attrs) throws MalformedIsakmp {
        Payload.SecurityAssociation sa = new Payload.SecurityAssociation(1, 1,
                List.of(new Proposal(1, 1, new byte[0], List.of(new Transform(1, 1, List.of(attrs))))));
        List<Payload> back = PayloadChain.decode(1, PayloadChain.encode(List.of(sa)));
        return ((Payload.SecurityAssociation) back.getFirst()).proposals().getFirst().transforms().getFirst()
                .attributes();
    }

    @Test
    void basicFormIsTypeWithTheHighBitAndValueInTheHeader() {
        Writer w = new Writer();
        DataAttribute.basic(Phase2Attribute.ENCAPSULATION_MODE.code(), 0xfffe).write(w);
        assertThat(HexFormat.of().formatHex(w.toArray())).isEqualTo("8004fffe");
    }

    @Test
    void variableFormCarriesLengthThenValue() {
        Writer w = new Writer();
        DataAttribute.variable(Phase2Attribute.SA_LIFE_DURATION.code(), new byte[] {0, 1, 0x51, (byte) 0x80}).write(w);
        assertThat(HexFormat.of().formatHex(w.toArray())).isEqualTo("0002000400015180");
    }

    @Test
    void bothFormsOfTheSameNumberStayDistinct() throws Exception {
        DataAttribute tv = DataAttribute.basic(12, 3600);
        DataAttribute tlv = DataAttribute.variable(12, new byte[] {0x0e, 0x10});
        List<DataAttribute> back = roundTrip(tv, tlv);
        assertThat(back).containsExactly(tv, tlv);
        assertThat(back.get(0).basic()).isTrue();
        assertThat(back.get(1).basic()).isFalse();
        assertThat(back.get(0).numeric()).isEqualTo(back.get(1).numeric()).hasValue(3600);
        assertThat(tv).isNotEqualTo(tlv);
    }

    @Test
    void unknownTypesAndEmptyOrLongValuesRoundTrip() throws Exception {
        DataAttribute privateUse = DataAttribute.basic(32001, 5);
        DataAttribute empty = DataAttribute.variable(0x7fff, new byte[0]);
        DataAttribute prime = DataAttribute.variable(Phase1Attribute.GROUP_PRIME.code(), IsakmpSamples.bytes(256, 3));
        assertThat(roundTrip(privateUse, empty, prime)).containsExactly(privateUse, empty, prime);
        assertThat(Phase1Attribute.of(32001)).isEmpty();
        assertThat(empty.numeric()).isEmpty();
        assertThat(prime.numeric()).isEmpty();
    }

    @Test
    void outOfRangeValuesAreRefused() {
        assertThatThrownBy(() -> DataAttribute.basic(0x8000, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DataAttribute.basic(1, 0x10000)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DataAttribute.variable(1, new byte[0x10000]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void valuesAreCopiedInAndOut() {
        byte[] v = {1, 2};
        DataAttribute a = DataAttribute.variable(1, v);
        v[0] = 9;
        a.variableValue()[1] = 9;
        assertThat(a.variableValue()).containsExactly(1, 2);
    }
}
