package dev.tandem.conf.sasyncd;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** sasyncd's token classes and their order: hex, number, keyword, string. */
class TokenTest {

    @ParameterizedTest
    @CsvSource({
        "0x00ff, HEX",
        "0x, HEX",
        "0xAbC, HEX",
        "0xzz, STRING",
        "0x1.2, STRING",
        "0X12, NUMBER",
        "12, NUMBER",
        "3com, NUMBER",
        "500x, NUMBER",
        "10.0.0.1, STRING",
        "2001:db8::1, STRING",
        "1:2, STRING",
        "sync, KEYWORD",
        "inet6, KEYWORD",
        "Sync, STRING",
        "interval, STRING",
        "carp, STRING",
        "isakmpd, STRING",
        "-1, STRING",
    })
    void classification(String text, Token.Kind kind) {
        assertThat(Token.of(text, 1).kind()).isEqualTo(kind);
    }

    @Test
    void hexBytesDropAnOddLastDigit() {
        assertThat(Token.of("0x0aFf7", 1).hexBytes()).containsExactly(0x0a, 0xff);
        assertThat(Token.of("0x7", 1).hexBytes()).isEmpty();
    }

    @Test
    void linesAreCountedPerTokenAcrossCommentsAndCrLf() {
        Diagnostics d = new Diagnostics("f", w -> { });
        List<Token> t = Lexer.tokens("a b\r\n# c d\n\n  e#f\ng\u000bh\fi", d);
        assertThat(t).extracting(Token::text).containsExactly("a", "b", "e", "g", "h", "i");
        assertThat(t).extracting(Token::line).containsExactly(1, 1, 4, 5, 5, 5);
        assertThat(d.hasProblems()).isFalse();
    }

    @Test
    void theLastLineIgnoresAFinalNewline() {
        assertThat(Lexer.lastLine("")).isEqualTo(1);
        assertThat(Lexer.lastLine("a\nb")).isEqualTo(2);
        assertThat(Lexer.lastLine("a\nb\n")).isEqualTo(2);
        assertThat(Lexer.lastLine("a\nb\n\n")).isEqualTo(3);
    }
}
