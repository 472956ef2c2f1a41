/// Everything the collector needs from storage: measurements, identity, saved baselines, site names and estate
/// sizes, and the device table, behind one seam.
public protocol CollectorStore: MeasurementStore, IdentityStore, BaselineStore, OrganisationStore, DeviceTableStore {}
