import Crypto
import DeskReadyAgent
import DeskReadyModel
import DeskReadyTestSupport
import Testing

@Suite("The agent's HMAC-SHA256")
struct HMACSHA256Tests {
    private func hex(_ bytes: some Sequence<UInt8>) -> String {
        bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
    }

    private func bytes(_ hex: String) -> [UInt8] {
        var result: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            result.append(UInt8(hex[index..<next], radix: 16)!)
            index = next
        }
        return result
    }

    @Test("SHA-256 gives the FIPS 180-4 example digests")
    func sha256Vectors() {
        #expect(hex(SHA256Digest.hash([])) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(hex(SHA256Digest.hash(Array("abc".utf8))) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(hex(SHA256Digest.hash(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(hex(SHA256Digest.hash([UInt8](repeating: 0x61, count: 1_000_000)))
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test("HMAC-SHA256 gives the RFC 4231 test-case results, long keys included")
    func rfc4231() {
        let cases: [(key: [UInt8], data: [UInt8], mac: String)] = [
            ([UInt8](repeating: 0x0b, count: 20), Array("Hi There".utf8),
             "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
            (Array("Jefe".utf8), Array("what do ya want for nothing?".utf8),
             "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
            ([UInt8](repeating: 0xaa, count: 20), [UInt8](repeating: 0xdd, count: 50),
             "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"),
            (bytes("0102030405060708090a0b0c0d0e0f10111213141516171819"), [UInt8](repeating: 0xcd, count: 50),
             "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"),
            ([UInt8](repeating: 0xaa, count: 131), Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8),
             "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
            ([UInt8](repeating: 0xaa, count: 131),
             Array("This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.".utf8),
             "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"),
        ]
        for testCase in cases {
            #expect(hex(HMACSHA256.code(key: testCase.key, message: testCase.data)) == testCase.mac)
        }
    }

    @Test("HMAC-SHA256 equals swift-crypto's for keys and messages of every length around the block size")
    func equalsSwiftCrypto() {
        var random = SplitMix(state: 4231)
        for keyLength in [0, 1, 15, 16, 31, 32, 55, 56, 63, 64, 65, 127, 128, 200] {
            for messageLength in [0, 1, 54, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 129, 1000] {
                let key = (0..<keyLength).map { _ in UInt8.random(in: 0...255, using: &random) }
                let message = (0..<messageLength).map { _ in UInt8.random(in: 0...255, using: &random) }
                let expected = HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: key))
                #expect(HMACSHA256.code(key: key, message: message) == Array(expected), "key \(keyLength), message \(messageLength)")
            }
        }
    }

    @Test("A pseudonym is the first 128 bits of the HMAC of the user name, in lowercase hex")
    func pseudonym() {
        for user in ["alice", "", "Dr. Ωmega Ünïcode", String(repeating: "x", count: 300)] {
            let expected = HMAC<SHA256>.authenticationCode(for: Array(user.utf8), using: SymmetricKey(data: Array("trust-secret-key-0001".utf8)))
            #expect(Pseudonymizer(key: "trust-secret-key-0001").pseudonym(for: user) == hex(Array(expected).prefix(16)))
        }
        #expect(Pseudonymizer(key: "trust-secret-key-0001").pseudonym(for: "alice") != Pseudonymizer(key: "trust-secret-key-0002").pseudonym(for: "alice"))
    }
}
