/// The simulated estate: trusts, their sites, and how fast each site's workstations are.
struct FleetPlan {
    struct Site {
        var code: String
        var devices: Int
        /// Multiplies session start and application times: 1 is typical, 3 is a visibly slow site.
        var slowness: Double
        /// Share of devices still on a spinning disk (slower boots).
        var hddShare: Double
        /// A fix that lands part way through: from this day (0 is the first simulated day) the site runs at `to`.
        var fix: (fromDay: Int, to: Double)? = nil

        /// How slow the site is on a simulated day.
        func slowness(onDay day: Int) -> Double {
            guard let fix, day >= fix.fromDay else { return slowness }
            return fix.to
        }
    }

    struct Trust {
        var code: String
        var name: String
        var sites: [Site]
    }

    var trusts: [Trust]

    /// The day RXB02's workstations are rebuilt (new image, more memory), which the demo's baseline is saved before.
    static let fixDay = 3

    /// Five trusts, eleven sites, 298 devices; site RXB02 is the slow one until its workstations are rebuilt.
    static let standard = FleetPlan(trusts: [
        Trust(code: "RXA", name: "Northshire Hospitals NHS Trust", sites: [
            Site(code: "RXA01", devices: 40, slowness: 1.0, hddShare: 0.05),
            Site(code: "RXA02", devices: 30, slowness: 1.1, hddShare: 0.10),
            Site(code: "RXA03", devices: 12, slowness: 0.9, hddShare: 0.0),
        ]),
        Trust(code: "RXB", name: "Eastvale University Hospitals NHS Foundation Trust", sites: [
            Site(code: "RXB01", devices: 36, slowness: 1.0, hddShare: 0.10),
            Site(code: "RXB02", devices: 30, slowness: 3.2, hddShare: 0.60, fix: (fromDay: fixDay, to: 1.3)),
        ]),
        Trust(code: "RXC", name: "Westmoor Community Health NHS Trust", sites: [
            Site(code: "RXC01", devices: 35, slowness: 1.2, hddShare: 0.20),
            Site(code: "RXC02", devices: 25, slowness: 1.0, hddShare: 0.15),
            Site(code: "RXC03", devices: 20, slowness: 1.4, hddShare: 0.30),
        ]),
        Trust(code: "RXD", name: "Southfield Mental Health NHS Foundation Trust", sites: [
            Site(code: "RXD01", devices: 25, slowness: 1.3, hddShare: 0.25),
            Site(code: "RXD02", devices: 15, slowness: 1.6, hddShare: 0.40),
        ]),
        Trust(code: "RXE", name: "Lakeside Community and Acute NHS Trust", sites: [
            Site(code: "RXE01", devices: 30, slowness: 0.9, hddShare: 0.0),
        ]),
    ])

    var deviceCount: Int { trusts.reduce(0) { $0 + $1.sites.reduce(0) { $0 + $1.devices } } }

    /// Scales every site's device count (at least one device each).
    func scaled(toDevices target: Int) -> FleetPlan {
        let factor = Double(target) / Double(deviceCount)
        var plan = self
        for t in plan.trusts.indices {
            for s in plan.trusts[t].sites.indices {
                plan.trusts[t].sites[s].devices = max(1, Int((Double(plan.trusts[t].sites[s].devices) * factor).rounded()))
            }
        }
        return plan
    }
}
