#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#elseif canImport(ucrt)
import ucrt
#endif

/// The bytes of an export, chunk by chunk, as UTF-8: a file read with C stdio, or bytes in memory. A UTF-16 file
/// (what Windows PowerShell 5's `>` and `Out-File` write, with a byte-order mark) is transcoded on the way.
final class ByteSource {
    private var file: UnsafeMutablePointer<FILE>?
    private var memory: [UInt8]
    private var memoryOffset = 0
    private var started = false
    private var utf16: Bool?
    private var littleEndian = true
    private var pendingUnit: [UInt8] = []
    private var highSurrogate: UInt32?
    /// Bytes read from the file or memory so far (before any transcoding).
    private(set) var rawBytesRead: Int64 = 0

    /// Opens `path` for reading; throws a message naming the file when it cannot be opened.
    init(path: String) throws(ReadError) {
        guard let handle = fopen(path, "rb") else {
            let reason = String(cString: strerror(errno))
            throw ReadError("cannot open \(path): \(reason); check the path and that this user may read it")
        }
        file = handle
        memory = []
    }

    init(bytes: [UInt8]) {
        file = nil
        memory = bytes
    }

    deinit { if let file { fclose(file) } }

    /// Appends up to about `count` UTF-8 bytes to `buffer`; returns false at the end of the input.
    func read(into buffer: inout [UInt8], count: Int) throws(ReadError) -> Bool {
        var raw = [UInt8](repeating: 0, count: count)
        let got: Int
        if let file {
            got = raw.withUnsafeMutableBytes { fread($0.baseAddress, 1, count, file) }
            if got == 0, ferror(file) != 0 { throw ReadError("reading failed after \(rawBytesRead) bytes: \(String(cString: strerror(errno)))") }
        } else {
            got = min(count, memory.count - memoryOffset)
            raw.withUnsafeMutableBufferPointer { target in
                for k in 0..<got { target[k] = memory[memoryOffset + k] }
            }
            memoryOffset += got
        }
        rawBytesRead += Int64(got)
        guard got > 0 else { return false }
        var chunk = raw[0..<got]
        if !started {
            started = true
            if chunk.starts(with: [0xFF, 0xFE]) || chunk.starts(with: [0xFE, 0xFF]) {
                utf16 = true
                littleEndian = chunk.first == 0xFF
                chunk = chunk.dropFirst(2)
            } else if chunk.starts(with: [0xEF, 0xBB, 0xBF]) {
                chunk = chunk.dropFirst(3)
            } else if chunk.count >= 2, chunk[chunk.startIndex] == 0x3C, chunk[chunk.startIndex + 1] == 0 {
                utf16 = true // UTF-16LE without a byte-order mark: '<' then 0
            }
        }
        if utf16 == true {
            transcode(chunk, into: &buffer)
        } else {
            buffer.append(contentsOf: chunk)
        }
        return true
    }

    private func transcode(_ chunk: ArraySlice<UInt8>, into buffer: inout [UInt8]) {
        var bytes = pendingUnit + chunk
        pendingUnit = bytes.count % 2 == 1 ? [bytes.removeLast()] : []
        var i = 0
        while i + 1 < bytes.count {
            let unit = littleEndian ? UInt32(bytes[i]) | UInt32(bytes[i + 1]) << 8 : UInt32(bytes[i]) << 8 | UInt32(bytes[i + 1])
            i += 2
            var scalarValue = unit
            if (0xD800...0xDBFF).contains(unit) {
                highSurrogate = unit
                continue
            } else if (0xDC00...0xDFFF).contains(unit), let high = highSurrogate {
                scalarValue = 0x10000 + ((high - 0xD800) << 10) + (unit - 0xDC00)
            }
            highSurrogate = nil
            if scalarValue < 0x80 {
                buffer.append(UInt8(scalarValue))
                continue
            }
            let scalar = Unicode.Scalar(scalarValue) ?? "\u{FFFD}"
            buffer.append(contentsOf: Array(String(Character(scalar)).utf8))
        }
    }
}

/// An export that cannot be read at all (missing, unreadable), with what to do about it.
public struct ReadError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public var description: String { message }
    public init(_ message: String) { self.message = message }
}
