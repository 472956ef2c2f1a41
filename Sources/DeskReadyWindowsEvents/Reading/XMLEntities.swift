/// Decodes XML character data: the five predefined entities and numeric character references, to UTF-8.
enum XMLEntities {
    /// Appends the decoded bytes of `range` to `output`; an unknown or malformed reference is a syntax error.
    static func decode(_ buffer: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, into output: inout [UInt8]) throws(XMLSyntaxError) {
        var i = range.lowerBound
        while i < range.upperBound {
            let byte = buffer[i]
            guard byte == Byte.amp else {
                output.append(byte)
                i += 1
                continue
            }
            var j = i + 1
            while j < range.upperBound, buffer[j] != Byte.semicolon, j - i <= 12 { j += 1 }
            guard j < range.upperBound, buffer[j] == Byte.semicolon else {
                throw XMLSyntaxError(index: i, message: "'&' that does not start an entity (write '&amp;' for a literal '&')")
            }
            let name = UnsafeBufferPointer(rebasing: buffer[(i + 1)..<j])
            switch String(decoding: name, as: UTF8.self) {
            case "lt": output.append(Byte.lt)
            case "gt": output.append(Byte.gt)
            case "amp": output.append(Byte.amp)
            case "quot": output.append(Byte.doubleQuote)
            case "apos": output.append(Byte.singleQuote)
            case let reference where reference.hasPrefix("#"):
                let digits = reference.dropFirst()
                let scalarValue = digits.first == "x" || digits.first == "X" ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits, radix: 10)
                guard let scalarValue, let scalar = Unicode.Scalar(scalarValue), scalarValue != 0 else {
                    throw XMLSyntaxError(index: i, message: "'&\(reference);' is not a valid character reference")
                }
                output.append(contentsOf: Array(String(Character(scalar)).utf8))
            case let other:
                throw XMLSyntaxError(index: i, message: "unknown entity '&\(other);' (XML knows &lt; &gt; &amp; &quot; &apos; and &#…;)")
            }
            i = j + 1
        }
    }
}
