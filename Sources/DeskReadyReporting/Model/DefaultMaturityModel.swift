/// DeskReady's default maturity model, embedded so the binary grades anywhere without its source tree.
/// This is `collector/maturity-model.yaml` byte for byte; a test keeps the two identical, so edit the file and copy it
/// here whole.
extension MaturityModel {
    /// The YAML text of the default model.
    public static let standardYAML: String = #"""
# DeskReady maturity model: how measured waits at NHS workstations are graded, level 1 (poorest) to 5 (best).
#
# A trust may grade against its own copy: `deskready report --maturity-model FILE`. Change `id` or `version` when you
# change anything below; both are printed in every report, so two reports graded differently can't be mistaken for
# each other. `deskready` embeds this file as its default model (Sources/DeskReadyReporting/Model/DefaultMaturityModel.swift,
# kept identical by a test).
#
# Fields
#   id, version, title        names this model; id and version appear in every output.
#   minimum_observations      an indicator with fewer observations than this (default 10) is "insufficient data": it
#                             is never graded and its value is not shown, so small groups are neither misread nor
#                             identifiable. An indicator may set its own `minimum_observations`.
#   score                     how a level becomes a score from 0 to 100, comparable with the Digital Maturity
#                             Assessment's 0-100 scale:
#                               steps:        level 1, 2, 3, 4, 5 -> 0, 25, 50, 75, 100.
#                               interpolated: as steps at each threshold, and linear between two thresholds, so
#                                             progress inside a level shows: logon p90 45 s lies halfway between the
#                                             level-4 threshold (60 s, score 75) and the level-5 threshold (30 s, 100),
#                                             so it scores 87.5. Level 5 scores 100 and level 1 scores 0.
#   overall                   how the trust's (or site's) infrastructure level is formed from its graded indicators:
#                               median-capped: the median of the indicator levels (the lower middle one when the
#                               count is even), but no more than the weakest level plus `cap_above_weakest`, so one
#                               very poor indicator can't hide behind good ones. Fewer than `minimum_graded` graded
#                               indicators give "insufficient data". The overall score is the mean of the graded
#                               indicators' scores, held inside the overall level's band (level 3: 50 to 75).
#   logons.report_apart       logon cohorts left out of every headline logon figure (p50/p90/p95, within target,
#                             incomplete, phases, the weekly trend) and shown apart with their own count, p50 and p90:
#                               first:         the user's first logon on that device (the profile is being created);
#                               after_upgrade: the first logon after the OS version or the kernel changed.
#                             The agent flags both. Endpoint Analytics leaves the same logons out of its sign-in
#                             score for the same reason. [] keeps every logon in the headline.
#   estate.supported_os       the operating systems the estate_supported_os indicator counts as supported: os-release
#                             ID and the lowest VERSION_ID still in support (compared number by number).
#   indicators                each with
#     id                      stable name of the indicator in every output.
#     metric                  what DeskReady computes for it, one of: logon_p90, logon_within_target,
#                             logon_incomplete, boot_p90, app_start_p90, app_failure, probe_ttfb_p95, probe_failure,
#                             estate_ssd, estate_supported_os, coverage.
#     title                   a short name used in tables and reasons ("logon p90 93 s; level 4 needs 60 s or less").
#     measures                what it measures, in words.
#     unit                    seconds or percent (the metric fixes it; stated here for readers).
#     direction               lower-is-better or higher-is-better (the metric fixes it; stated here for readers).
#     thresholds              the value needed for levels 5, 4, 3 and 2 (at or below it when lower is better, at or
#                             above it when higher is better); anything else is level 1.
#     dimension               the What Good Looks Like dimension the maturity toolkit files it under.
#     justification           why these thresholds, from published practice.
#     target_seconds          (logon_within_target only) the logon target.
#
# The defaults below are DeskReady's choices. Where published practice gives definitions but no numbers, the
# justification says which part is ours.

id: deskready-workstation-readiness
version: 1.2.0
title: DeskReady workstation readiness (WGLL smart foundations)
minimum_observations: 10

score:
  method: interpolated

overall:
  method: median-capped
  cap_above_weakest: 2
  minimum_graded: 3

logons:
  report_apart: [first, after_upgrade]

# Releases with security support on 2026-11-26 (Debian 12 and 13, Ubuntu 22.04 and 24.04 LTS, RHEL and its rebuilds
# 9 and 10, Fedora 42 and 43, SUSE 15). Update this list when a release leaves support, and raise `version`.
estate:
  supported_os:
    - {id: debian, min_version: "12"}
    - {id: ubuntu, min_version: "22.04"}
    - {id: rhel, min_version: "9"}
    - {id: rocky, min_version: "9"}
    - {id: almalinux, min_version: "9"}
    - {id: fedora, min_version: "42"}
    - {id: sles, min_version: "15"}
    - {id: opensuse-leap, min_version: "15.6"}

indicators:
  - id: logon_p90
    metric: logon_p90
    title: logon p90
    measures: >-
      Time from credentials entered to a responsive desktop, 90th percentile of completed logons: nine logons in ten
      are at least this fast. A logon starts when PAM has accepted the credentials (the agent's mark on the last line
      of the auth stack), so the time a person takes to type a password or find a smartcard is not in it; where that
      mark is missing it starts when the session opens. Screen unlocks are not logons and are reported apart.
    unit: seconds
    direction: lower-is-better
    thresholds: {5: 30, 4: 60, 3: 120, 2: 300}
    dimension: smart-foundations
    justification: >-
      Microsoft Endpoint Analytics measures sign-in from credentials entered to a responsive desktop and scores it per
      device; uberAgent, ControlUp and Login Enterprise measure the same span split into phases. None publishes
      pass marks, so the thresholds are ours: 60 s is the logon target staff are promised and 30 s is what a
      well-kept SSD estate achieves; 2 and 5 minutes mark logons that visibly cost clinical time at every shift
      change. The 90th percentile, not the mean, because the slow tail is what staff remember and report.

  - id: logon_within_target
    metric: logon_within_target
    title: logons within 60 s
    measures: >-
      Share of completed logons that reached a responsive desktop within the target (60 s).
    unit: percent
    direction: higher-is-better
    target_seconds: 60
    thresholds: {5: 95, 4: 90, 3: 80, 2: 60}
    dimension: smart-foundations
    justification: >-
      A service-level view of the same logons, as service desks state targets ("95% within 60 s"). The 2015-2017 NHS
      digital maturity self-assessment mapped percentage answers to 0-100 scores in bands; we keep bands but grade the
      measured share. Level 5 at 95% leaves room for first logons and updates; below 60% most staff wait past target.

  - id: logon_incomplete
    metric: logon_incomplete
    title: incomplete logons
    measures: >-
      Share of logons started (credentials accepted, no desktop session of that user already live) that never reached
      a responsive desktop: the desktop never came up, or the session was abandoned before it did. A prompt left
      without accepted credentials and a screen unlock are neither logons nor incomplete ones.
    unit: percent
    direction: lower-is-better
    thresholds: {5: 0.5, 4: 1, 3: 2, 2: 5}
    dimension: smart-foundations
    justification: >-
      A failed logon costs more than a slow one: staff retry, restart or move desk. Endpoint Analytics and the logon
      monitors count failed sign-ins separately from durations; DeskReady stores them as incomplete, never as fast.
      The bands are ours: one in two hundred is rare enough to be noise, one in twenty is a fault to fix.

  - id: boot_p90
    metric: boot_p90
    title: boot p90
    measures: >-
      Time from power-on (firmware start) to the graphical login prompt, 90th percentile of boots.
    unit: seconds
    direction: lower-is-better
    thresholds: {5: 30, 4: 60, 3: 90, 2: 180}
    dimension: smart-foundations
    justification: >-
      Endpoint Analytics measures boot from power-on to the sign-in prompt (leaving out the update phase) and notes
      that devices booting from a hard disk typically take three to four times longer than from solid state.
      The bands are ours: 30 s as level 5 for a solid-state estate, and 90 s (three times that) marks an estate
      still largely on hard disks.

  - id: app_start_p90
    metric: app_start_p90
    title: slowest app start p90
    measures: >-
      Time from launching an application to its first usable window, 90th percentile, for the slowest application
      with enough starts (each application's own figures are in the statistics).
    unit: seconds
    direction: lower-is-better
    thresholds: {5: 5, 4: 10, 3: 20, 2: 40}
    dimension: smart-foundations
    justification: >-
      uberAgent, ControlUp and Login Enterprise time application starts to the first usable window; clinical
      systems (EPR, PACS viewers) are opened many times a shift. Graded on the slowest application so that one slow
      clinical system is not averaged away. The bands are ours: 5 s feels immediate, 40 s means staff wait for it.

  - id: app_failure
    metric: app_failure
    title: failed app starts
    measures: >-
      Share of application starts that failed or timed out before a usable window, all applications together.
    unit: percent
    direction: lower-is-better
    thresholds: {5: 0.5, 4: 1, 3: 2, 2: 5}
    dimension: smart-foundations
    justification: >-
      Application start monitors report failures beside durations, since a start that never completes is the worst
      wait of all. Same bands as incomplete logons, for the same reasons.

  - id: probe_ttfb_p95
    metric: probe_ttfb_p95
    title: slowest clinical system p95
    measures: >-
      Time from the start of a request to a clinical system (DNS, connect, TLS) to its first byte, 95th percentile of
      answered probes, for the slowest target with enough probes (each target's phases are in the statistics).
    unit: seconds
    direction: lower-is-better
    thresholds: {5: 0.5, 4: 1, 3: 2, 2: 5}
    dimension: smart-foundations
    justification: >-
      Synthetic monitoring (Catchpoint, ThousandEyes, uberAgent's network checks) splits a request into DNS, connect,
      TLS and first byte, and web guidance (Google's web vitals) treats a first byte under 0.8 s as good and over
      1.8 s as poor. The 95th percentile, because a clinical system that stalls one request in twenty interrupts
      every clinic. The bands are ours, a little stricter than web vitals for systems on the trust's own network.

  - id: probe_failure
    metric: probe_failure
    title: failed probes
    measures: >-
      Share of network probes to clinical systems that failed (DNS, connect, TLS or HTTP error, or no answer), all
      targets together.
    unit: percent
    direction: lower-is-better
    thresholds: {5: 0.1, 4: 0.5, 3: 1, 2: 5}
    dimension: smart-foundations
    justification: >-
      Availability targets for clinical systems are stated in nines (99.9% is common in NHS contracts), so a failure
      rate of 0.1% is the level-5 mark; one probe in twenty failing is an outage users feel. The bands are ours.

  - id: estate_ssd
    metric: estate_ssd
    title: devices on SSD
    measures: >-
      Share of the inventoried devices reporting in the period on a physical system disk whose disk is solid state.
      Devices on a virtual disk (virtual machines and VDI desktops, told by the disk's driver or model or by the
      machine's firmware) are left out and counted apart: their disks report themselves as rotational whatever the
      storage behind them is.
    unit: percent
    direction: higher-is-better
    thresholds: {5: 98, 4: 90, 3: 75, 2: 50}
    dimension: smart-foundations
    justification: >-
      Endpoint Analytics reports the share of devices booting from a hard disk and recommends replacing them first,
      as they boot and sign in several times slower. The NHS frontline digitisation minimum standards expect
      end-user devices fit for purpose; the bands are ours.

  - id: estate_supported_os
    metric: estate_supported_os
    title: devices on a supported OS
    measures: >-
      Share of the inventoried devices reporting in the period that run an operating system listed under
      estate.supported_os.
    unit: percent
    direction: higher-is-better
    thresholds: {5: 99, 4: 95, 3: 90, 2: 75}
    dimension: smart-foundations
    justification: >-
      The Data Security and Protection Toolkit asks trusts to keep devices on supported software; Cyber Essentials
      requires it of every in-scope device. Near-complete compliance is the expectation, so the bands are tight.

  - id: coverage
    metric: coverage
    title: devices reporting
    measures: >-
      Share of the trust's workstations that sent at least one timing in the period: of the estate size the trust
      recorded (`deskready trust set --estate-size`, per site optionally), otherwise of the devices enrolled.
    unit: percent
    direction: higher-is-better
    thresholds: {5: 95, 4: 90, 3: 75, 2: 50}
    dimension: smart-foundations
    justification: >-
      Endpoint Analytics drops devices with no event in its 29-day window from its report; indicators measured on a
      minority of the estate are not representative, so the share reporting is graded too. NHS England warned that
      self-assessed scores are limited; measured scores are only as good as their coverage. The bands are ours.

"""#

    /// The default model, parsed from `standardYAML`.
    public static var standard: MaturityModel {
        get throws { try load(yaml: standardYAML) }
    }
}
