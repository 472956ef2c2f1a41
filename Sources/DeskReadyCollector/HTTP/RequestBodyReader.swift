internal import CDeskReadySupport
import DeskReadyModel
import Foundation
import Hummingbird

/// Reads a request body within the size limits, inflating `Content-Encoding: gzip` with a cap on the output.
struct RequestBodyReader {
    let maxBodyBytes: Int
    let maxDecompressedBytes: Int

    func read(_ request: Request) async throws -> Data {
        var request = request
        if let length = request.headers[.contentLength].flatMap(Int.init), length > maxBodyBytes {
            throw tooLarge("the body is \(length) bytes; this collector accepts at most \(maxBodyBytes) bytes per request, send smaller batches")
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: maxBodyBytes)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            throw tooLarge("the body is over \(maxBodyBytes) bytes; send smaller batches")
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

    private func inflate(_ buffer: ByteBuffer) throws -> Data {
        var out: UnsafeMutablePointer<UInt8>?
        var outLength = 0
        let rc = buffer.withUnsafeReadableBytes { raw in
            dr_gunzip_limited(raw.baseAddress, raw.count, maxDecompressedBytes, &out, &outLength)
        }
        switch rc {
        case 0:
            defer { dr_free(out) }
            return Data(bytes: out!, count: outLength)
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
