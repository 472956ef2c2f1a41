import DeskReadyModel

/// Device ids for computers known only by name: the `Computer` of the events, without its domain (the part before the
/// first dot), in lower case. `WS-0001.trust.nhs.uk` and `ws-0001` are the same device `ws-0001`. A name that is not
/// a valid device id after that (characters other than letters, digits, `.`, `_`, `-`, `:`) is not imported.
enum ComputerName {
    static func deviceID(_ computer: String) -> String? {
        let short = computer.split(separator: ".", maxSplits: 1).first.map(String.init) ?? computer
        let id = short.lowercased()
        return DeviceIdentity.isValidID(id) ? id : nil
    }
}
