import DeskReadyModel
import Foundation
import HTTPTypes
import NIOCore
import NIOHTTP1
import NIOHTTPTypes

/// Answers request headers over the HTTP decoder's limits with `431 Request Header Fields Too Large` as problem+json,
/// and closes the connection. Without it, Hummingbird answers any parse error with an empty `400`. It sits after the
/// HTTP decoder in the channel pipeline, so it sees the decoder's error before the application does.
final class HeaderLimitHandler: ChannelInboundHandler, RemovableChannelHandler, Sendable {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundOut = HTTPResponsePart

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard let parserError = error as? HTTPParserError, parserError == .headerOverflow else {
            context.fireErrorCaught(error)
            return
        }
        let problem = ProblemDetails(
            title: "Request Header Fields Too Large", status: 431,
            detail: "the request's headers are larger than this collector accepts (at most 80 KiB in all); send fewer or shorter headers")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let body = (try? encoder.encode(problem)) ?? Data()
        let head = HTTPResponse(status: .init(code: 431, reasonPhrase: "Request Header Fields Too Large"), headerFields: [
            .contentType: ProblemDetails.mediaType, .contentLength: String(body.count), .connection: "close",
        ])
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(context.channel.allocator.buffer(bytes: body))), promise: nil)
        let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in bound.value.close(promise: nil) }
    }
}
