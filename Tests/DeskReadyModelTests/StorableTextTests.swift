import DeskReadyModel
import Testing

/// `StorableText.isClean` scans bytes; these check it against Unicode's own answer for every scalar.
@Suite struct StorableTextTests {
    @Test func agreesWithTheGeneralCategoryForEveryScalar() {
        var disagreements: [String] = []
        for value in UInt32(0)...0x10FFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let expected = scalar.properties.generalCategory != .control
            var text = "a"
            text.unicodeScalars.append(scalar)
            text += "b"
            if StorableText.isClean(text) != expected { disagreements.append("U+\(String(value, radix: 16))") }
        }
        #expect(disagreements.isEmpty)
    }

    @Test func findsAControlCharacterAnywhere() {
        #expect(StorableText.isClean(""))
        #expect(StorableText.isClean("Dell Latitude 5440 — école ✓"))
        #expect(!StorableText.isClean("\u{0}"))
        #expect(!StorableText.isClean("line\nbreak"))
        #expect(!StorableText.isClean("é\u{85}"))
        #expect(!StorableText.isClean("tail\u{7F}"))
        #expect(StorableText.isClean("\u{A0}\u{C2}\u{BF}"))
    }
}
