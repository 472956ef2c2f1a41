/// Groups the events that announce a user's logon (User Profile Service 1, Winlogon 811 `Profiles` for logon,
/// System Winlogon 7001, Security 4624 of an interactive type) into one cluster per logon, keyed on the user's SID
/// and time, never on record order.
struct LogonClusters {
    /// One logon's announcing events.
    struct Cluster {
        var sid: String
        var anchorUs: Int64
        var profileStart: WindowsEventRecord?
        var profilesNotification: WindowsEventRecord?
        var systemNotification: WindowsEventRecord?
        var securityLogon: WindowsEventRecord?

        /// The record the logon's id is derived from: the first present in a fixed order, so that it does not
        /// depend on which of them happened to be exported first.
        var identityRecord: WindowsEventRecord? { profileStart ?? profilesNotification ?? systemNotification ?? securityLogon }
        var session: String? { profileStart?.field("Session") ?? systemNotification?.field("TSId") }
        var earliestUs: Int64 {
            [profileStart, profilesNotification, systemNotification, securityLogon].compactMap { $0?.timeUs }.min() ?? anchorUs
        }
    }

    /// Events of one logon are this close to its first announcing event.
    static let windowUs: Int64 = 120_000_000

    static func build(_ records: ComputerRecords) -> [Cluster] {
        var clusters: [Cluster] = []
        // Strong announcements: one per logon, so a second one for the same user starts another logon.
        let profileStarts = records.of(EventCatalog.userProfiles, 1).filter { WindowsValue.isPersonSID($0.userSID) }
        let notifications = records.of(EventCatalog.winlogon, 811).filter {
            WindowsValue.isPersonSID($0.userSID) && $0.field("Event") == "2" && $0.field("SubscriberName")?.lowercased() == "profiles"
        }
        for record in profileStarts {
            guard let sid = record.userSID else { continue }
            clusters.append(Cluster(sid: sid, anchorUs: record.timeUs, profileStart: record))
        }
        for record in notifications {
            guard let sid = record.userSID else { continue }
            let slack = records.clock.slackUs(around: record.timeUs)
            if let index = nearest(clusters, sid: sid, timeUs: record.timeUs, slackUs: slack, where: { $0.profilesNotification == nil }) {
                clusters[index].profilesNotification = record
            } else {
                clusters.append(Cluster(sid: sid, anchorUs: record.timeUs, profilesNotification: record))
            }
        }
        // Weak announcements attach to the nearest logon of the user, or start one when there is none.
        let systemNotifications = records.of(EventCatalog.winlogon, 7001).filter { WindowsValue.isPersonSID(WindowsValue.sid($0.field("UserSid"))) }
        for record in systemNotifications {
            guard let sid = WindowsValue.sid(record.field("UserSid")) else { continue }
            let slack = records.clock.slackUs(around: record.timeUs)
            if let index = nearest(clusters, sid: sid, timeUs: record.timeUs, slackUs: slack, where: { _ in true }) {
                if clusters[index].systemNotification == nil { clusters[index].systemNotification = record }
            } else {
                clusters.append(Cluster(sid: sid, anchorUs: record.timeUs, systemNotification: record))
            }
        }
        let interactiveTypes: Set<Int64> = [2, 10, 11]
        let securityLogons = records.of(EventCatalog.securityAuditing, 4624).filter {
            interactiveTypes.contains($0.integer("LogonType") ?? -1) && WindowsValue.isPersonSID(WindowsValue.sid($0.field("TargetUserSid")))
        }
        for record in securityLogons {
            guard let sid = WindowsValue.sid(record.field("TargetUserSid")) else { continue }
            let slack = records.clock.slackUs(around: record.timeUs)
            if let index = nearest(clusters, sid: sid, timeUs: record.timeUs, slackUs: slack, where: { _ in true }) {
                if clusters[index].securityLogon == nil { clusters[index].securityLogon = record }
            } else {
                clusters.append(Cluster(sid: sid, anchorUs: record.timeUs, securityLogon: record))
            }
        }
        return clusters.sorted { $0.anchorUs < $1.anchorUs }
    }

    private static func nearest(_ clusters: [Cluster], sid: String, timeUs: Int64, slackUs: Int64, where fits: (Cluster) -> Bool) -> Int? {
        var best: (index: Int, distance: Int64)?
        for (index, cluster) in clusters.enumerated() where cluster.sid == sid && fits(cluster) {
            let distance = abs(cluster.anchorUs - timeUs)
            guard distance <= windowUs + slackUs else { continue }
            if let current = best, current.distance <= distance { continue }
            best = (index, distance)
        }
        return best?.index
    }
}
