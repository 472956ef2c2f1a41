#if canImport(Glibc)
import Glibc
#endif

/// The offline checks of `check-config` beyond the values themselves: a token to send, a readable CA bundle, and
/// the pseudonym key kept from other users. Each problem names the setting, what is wrong and the fix.
public enum ConfigFileChecks {
    /// Problems with the files the config names. `spoolToken` is the device token an earlier enrolment left, if any.
    public static func problems(_ config: AgentConfig, configPath: String?, spoolToken: String?) -> [String] {
        var problems: [String] = []
        if config.deviceToken == nil, config.enrolmentToken == nil, spoolToken == nil {
            problems.append("enrolment_token: is empty and this agent holds no device token from an earlier enrolment: set it to the trust's enrolment token, from `deskready enrol-token create --trust \(config.trust.isEmpty ? "RXX" : config.trust)` on the collector")
        }
        if let caFile = config.caFile {
            if let problem = pemProblem(caFile) { problems.append("ca_file: \(problem)") }
        }
        if let configPath, config.origins["pseudonym_key"]?.hasPrefix(configPath + ":") == true, readableByOthers(configPath) {
            problems.append("pseudonym_key: \(configPath) holds the key and every user of this machine may read it: run `chmod 0640 \(configPath) && chgrp deskready \(configPath)`, or move the key to a file named by pseudonym_key_file (mode 0640)")
        }
        if let keyFile = config.pseudonymKeyFile, readableByOthers(keyFile) {
            problems.append("pseudonym_key_file: every user of this machine may read \(keyFile): run `chmod 0640 \(keyFile) && chgrp deskready \(keyFile)`")
        }
        return problems.map(config.origins.annotate)
    }

    /// Why `path` is not a readable PEM certificate bundle, or nil when it is one.
    static func pemProblem(_ path: String) -> String? {
        guard let file = fopen(path, "r") else {
            return "cannot read \(path) (\(String(cString: strerror(errno)))): check the path, and that the agent's user may read it (mode 0644 is fine for a CA bundle)"
        }
        fclose(file)
        guard let text = FileText.read(path), text.contains("-----BEGIN CERTIFICATE-----") else {
            return "\(path) holds no PEM certificate (-----BEGIN CERTIFICATE-----): give the trust's CA bundle in PEM form, for example converted with `openssl x509 -inform der -in ca.cer -out ca.pem`"
        }
        return nil
    }

    static func readableByOthers(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && info.st_mode & 0o004 != 0  // readable by others
    }
}
