internal import CDeskReadySupport
import DeskReadyModel
import Foundation
import Hummingbird

/// Reads a request body within the size limits, inflating `Content-Encoding: gzip` with a cap on the output.
struct RequestBodyReader {
    let maxBodyBytes: Int
    let maxDecompressedBytes: Int

    /// How long, and how much, of an oversized body is read and dropped before answering 413, so the client gets to
    /// read the answer instead of a connection reset.
    static let discardLimit = (bytes: 64 << 20, time: Duration.seconds(2))

    func read(_ request: Request) async throws -> Data {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > maxBodyBytes {
            await discard(request.body, after: 0)
            throw tooLarge("the body is \(length) bytes; this collector accepts at most \(maxBodyBytes) bytes per request, send smaller batches")
        }
        var buffer = ByteBuffer()
        var iterator = request.body.makeAsyncIterator()
        while let chunk = try await iterator.next() {
            guard buffer.readableBytes + chunk.readableBytes <= maxBodyBytes else {
                await discard(iterator: &iterator, after: buffer.readableBytes + chunk.readableBytes)
                throw tooLarge("the body is over \(maxBodyBytes) bytes; send smaller batches")
            }
            var chunk = chunk
            buffer.writeBuffer(&chunk)
        }
        let encoding = request.headers[.contentEncoding]?.lowercased() ?? "identity"
        switch encoding {
        case "identity":
            return Data(buffer: buffer)
        case "gzip", "x-gzip":
            return try inflate(buffer)
        default:
            throw ProblemError(.unsupportedMediaType, title: "Unsupported Content-Encoding",
                               detail: "Content-Encoding '\(encoding)' is not supported; send the body as is or gzip-compressed")
        }
    }

    private func discard(_ body: RequestBody, after read: Int) async {
        var iterator = body.makeAsyncIterator()
        await discard(iterator: &iterator, after: read)
    }

    private func discard(iterator: inout RequestBody.AsyncIterator, after read: Int) async {
        let deadline = ContinuousClock.now + Self.discardLimit.time
        var dropped = read
        while dropped < Self.discardLimit.bytes, ContinuousClock.now < deadline {
            guard let chunk = try? await iterator.next() else { return }
            dropped += chunk.readableBytes
        }
    }

    private func inflate(_ buffer: ByteBuffer) throws -> Data {
        var out: UnsafeMutablePointer<UInt8>?
        var outLength = 0
        let rc = buffer.withUnsafeReadableBytes { raw in
            dr_gunzip_limited(raw.baseAddress, raw.count, maxDecompressedBytes, &out, &outLength)
        }
        switch rc {
        case 0:
            defer { dr_free(out) }
            guard let out else { return Data() }
            return Data(bytes: out, count: outLength)
        case -2:
            throw tooLarge("the body inflates to more than \(maxDecompressedBytes) bytes; send smaller batches")
        default:
            throw ProblemError(.badRequest, title: "Bad gzip body",
                               detail: "the body is marked Content-Encoding: gzip but is not a complete gzip stream")
        }
    }

    private func tooLarge(_ detail: String) -> ProblemError {
        ProblemError(.contentTooLarge, title: "Content Too Large", detail: detail)
    }
}
