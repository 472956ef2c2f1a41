/// The collector's OpenAPI document, served at `/openapi.yaml`. Generated from `collector/openapi.yaml` by
/// `scripts/embed-openapi.py`; a test checks the two are identical.
public enum OpenAPIDocument {
    public static let yaml = #"""
# DeskReady collector API (wire format version 1).
#
# This describes `deskready serve` as it is built today: two probes for the
# service manager and load balancers, Prometheus metrics, this document,
# device enrolment, and the endpoint that takes batches of measurements from
# `deskready-agent`. Every error is an RFC 9457 problem document
# (application/problem+json).
#
# Validate with:
#   pip install openapi-spec-validator
#   python3 -m openapi_spec_validator collector/openapi.yaml
# then embed it in the collector (it is served at /openapi.yaml):
#   python3 scripts/embed-openapi.py
# and fuzz a built collector against the served document:
#   scripts/schemathesis.sh .build/debug/deskready
openapi: 3.1.0
jsonSchemaDialect: https://spec.openapis.org/oas/3.1/dialect/base

info:
  title: DeskReady collector
  version: "1.0.0"
  summary: Takes workstation boot, logon and application-start timings from DeskReady agents.
  description: |
    The collector stores measurements sent by `deskready-agent` on NHS
    workstations, keyed by trust (ODS code), site and device, for reporting.

    **Delivery is at-least-once and idempotent.** The agent chooses a
    `batch_id` before the first send and keeps it, and every event's `id`,
    across retries. The collector stores each event id once per trust, so a
    retried batch is acknowledged without storing anything twice
    (`duplicates`, `duplicate_batch`).

    **Whole-batch versus per-event problems.** A batch that cannot be read or
    whose envelope is wrong (bad JSON, missing or mistyped field, unsupported
    `schema_version`, bad device, trust or site, no events or more than 5000)
    is refused with `400` and nothing of it is written. A batch whose envelope
    is good is answered `200` even when some events are wrong: the good events
    are stored and the bad ones are listed in `rejected` with their index and
    reason (partial success). Unknown event `kind` or `outcome` values are
    per-event problems, so a newer agent's event costs only itself. A
    well-formed batch that names another device or trust than its device
    token's is refused with `403`, and nothing of it is written either.

    **Limits.** At most 4 MiB per request body as sent (the default; `deskready
    serve --max-body-bytes`), and at most 32 MiB once a gzip body is inflated
    (a gzip bomb is refused without being inflated in full). At most 64
    batches (`--max-pending-batches`) may wait for the database writer at
    once; beyond that a batch is answered `503` with `Retry-After` and
    nothing of it is stored.

    **Errors.** Every error, including unknown routes, is
    `application/problem+json`. The `type` member is currently always
    `about:blank`, so clients should act on `status` and show `title` and
    `detail`; `errors` names each field at fault by JSON pointer.

    **Authentication.** `POST /v1/enrol` and `POST /v1/batches` need a
    bearer token, `Authorization: Bearer <token>`; the probes, `/metrics`
    and `/openapi.yaml` need none. A token has one role, visible in its
    prefix: `dre_` enrolment (issued with `deskready enrol-token create
    --trust ODS`, enrols devices into one trust), `drd_` device (issued by
    `POST /v1/enrol`, writes batches for that one device of that one
    trust), `dra_` admin and `drr_` reader (neither may use these two
    endpoints). A missing, unknown, revoked or expired token is `401` with
    `WWW-Authenticate: Bearer`; a token of another role is `403`. The token
    is checked before anything else about the request. `importer` tokens
    (`dri_`, bound to one trust) write batches for any device of their
    trust, for measurements imported without an agent (Windows event logs).
    Reader tokens (`drr_`) read their own trust's report and admin tokens
    any trust's. Toolkit tokens (`drt_`, bound to no trust) read the list
    of trusts and every trust's graded indicators (`GET /v1/trusts`,
    `GET /v1/indicators`) and nothing else; admin tokens read those too.
    Every report read is written to the audit log. Put the collector
    behind TLS (`--tls-cert`, `--tls-key`, or a reverse proxy) for anything
    but a trusted test network: tokens are sent in the clear otherwise.

    **Routes and methods.** Every path not listed here, and every method
    not listed for a path (for example `GET /v1/batches`), answers `404`
    with a problem document: the router does not tell a wrong method from an
    unknown path, and never answers `405`. `HEAD` is answered on every `GET`
    route, with the headers and no body. Request headers over the server's
    limit are answered `431`.

servers:
  - url: http://127.0.0.1:8765
    description: A collector on this machine (the default `--listen` address).
  - url: https://{host}
    description: A collector published behind TLS.
    variables:
      host:
        default: deskready.example.nhs.uk

tags:
  - name: probes
    description: Liveness and readiness for systemd, monitoring and load balancers.
  - name: operations
    description: Metrics for monitoring, and this document.
  - name: enrolment
    description: Devices exchange an enrolment token for their own device token.
  - name: ingestion
    description: Measurements from agents.
  - name: reports
    description: Graded indicators per trust, for the trust's readers.
  - name: national
    description: Every trust's graded indicators and the list of trusts, for the maturity toolkit (toolkit tokens) and admins.

paths:
  /healthz:
    get:
      tags: [probes]
      operationId: getHealth
      summary: Liveness
      description: |
        Answers `200` whenever the process is serving HTTP. It does not touch
        the database; use `/readyz` for that. Needs no token.
      responses:
        "200":
          description: The collector process is alive.
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/Health"
              examples:
                ok:
                  value:
                    status: ok
        "500":
          $ref: "#/components/responses/InternalError"

  /readyz:
    get:
      tags: [probes]
      operationId: getReadiness
      summary: Readiness
      description: |
        Answers `200` when the database can be written, so batches can be
        stored; otherwise `503`. Take a collector out of a load balancer's pool
        while it answers `503`. Needs no token.
      responses:
        "200":
          description: The collector can store batches.
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/Readiness"
              examples:
                ready:
                  value:
                    status: ready
        "503":
          description: The database is not writable (disk full, wrong permissions, file gone).
          content:
            application/problem+json:
              schema:
                $ref: "#/components/schemas/Problem"
              examples:
                notWritable:
                  value:
                    type: about:blank
                    title: Not ready
                    status: 503
                    detail: the database is not writable; check the disk and the file's permissions
        "500":
          $ref: "#/components/responses/InternalError"

  /v1/trusts/{ods}/report:
    get:
      tags: [reports]
      operationId: getTrustReport
      summary: A trust's graded report
      description: |
        The trust's indicators for a period (default: the last 28 days,
        today included), graded against the collector's maturity model and
        shown beside the previous period of the same length, beside the
        median of the other trusts on the collector (when at least three have
        enough data; never naming them) and, when asked, beside a saved
        baseline. A reader token
        reads only its own trust; an admin token reads any trust. Formats:
        `json` (collector/indicators.schema.json), `csv` (one row per trust,
        site and indicator), `fhir` (FHIR R4 Bundle of Measures and
        MeasureReports), `html` (one self-contained page with charts) and
        `text`.
      security:
        - bearerAuth: []
      parameters:
        - name: ods
          in: path
          required: true
          description: The trust's ODS code.
          schema:
            type: string
            pattern: "^[A-Z0-9]{3,5}$"
        - name: format
          in: query
          required: false
          schema:
            type: string
            enum: [json, csv, fhir, html, text]
            default: json
        - name: from
          in: query
          required: false
          description: First day of the period (UTC), YYYY-MM-DD.
          schema:
            type: string
            format: date
        - name: to
          in: query
          required: false
          description: The day after the period's last (UTC), YYYY-MM-DD.
          schema:
            type: string
            format: date
        - name: baseline
          in: query
          required: false
          description: |
            A saved baseline of the trust (`deskready baseline save`) to show
            beside the period, with the change of each indicator. 404 when the
            trust has no baseline of that name.
          schema:
            type: string
            pattern: "^[A-Za-z0-9._-]{1,64}$"
      responses:
        "200":
          description: The report in the asked format.
          content:
            application/json:
              schema:
                type: object
            text/csv:
              schema:
                type: string
            application/fhir+json:
              schema:
                type: object
            text/html:
              schema:
                type: string
            text/plain:
              schema:
                type: string
        "400":
          description: |
            Not a trust code, an unknown format, a baseline name that cannot
            be one, a date that does not exist or is not YYYY-MM-DD, or a
            period that is not allowed: empty or reversed, starting after
            today, longer than 400 days, or starting before the trust's first
            stored day. `detail` says what is allowed; `errors` names the
            parameter.
          content:
            application/problem+json:
              schema:
                $ref: "#/components/schemas/Problem"
        "401":
          $ref: "#/components/responses/Unauthorized"
        "403":
          description: A reader token of another trust, or a token that is neither reader nor admin.
          content:
            application/problem+json:
              schema:
                $ref: "#/components/schemas/Problem"
        "404":
          description: The trust is not set up on this collector, or has no baseline of the name asked for.
          content:
            application/problem+json:
              schema:
                $ref: "#/components/schemas/Problem"
        "503":
          description: |
            As many reports as the collector renders at once are being
            rendered already (`max_concurrent_reports`), or this one ran past
            the time limit (`report_time_limit_seconds`) and was cancelled.
            Retry after `Retry-After` seconds, or ask for a shorter period.
          headers:
            Retry-After:
              description: Seconds to wait before retrying.
              schema:
                type: integer
          content:
            application/problem+json:
              schema:
                $ref: "#/components/schemas/Problem"
  /v1/trusts/{ods}/devices:
    get:
      tags: [reports]
      operationId: getTrustDevices
      summary: A trust's device table for IT ops
      description: |
        Every enrolled device of the trust: its site, vendor and model, OS,
        system disk kind (`ssd`, `hdd` or `virtual`), memory, agent version
        (when recorded), when it was last seen, and the count and 90th
        percentile of its completed logons and boots over the period (default:
        the last 28 days). Admin tokens only. Devices are not people: no
        small-number suppression, and no user appears. Filters narrow the
        table to devices silent for at least `silent_days` days before the
        period's end, to hard disks, or to an OS the maturity model does not
        list as supported.
      security:
        - bearerAuth: []
      parameters:
        - name: ods
          in: path
          required: true
          description: The trust's ODS code.
          schema:
            type: string
            pattern: "^[A-Z0-9]{3,5}$"
        - name: format
          in: query
          required: false
          schema:
            type: string
            enum: [json, csv]
            default: json
        - name: from
          in: query
          required: false
          description: First day of the period (UTC), YYYY-MM-DD.
          schema:
            type: string
            format: date
        - name: to
          in: query
          required: false
          description: The day after the period's last (UTC), YYYY-MM-DD.
          schema:
            type: string
            format: date
        - name: silent_days
          in: query
          required: false
          description: Only devices with no data for at least this many days before the period's end.
          schema:
            type: integer
            minimum: 1
            maximum: 400
        - name: hard_disks
          in: query
          required: false
          description: Only devices whose system disk is a hard disk.
          schema:
            type: string
            enum: ["true", "false"]
            default: "false"
        - name: unsupported_os
          in: query
          required: false
          description: Only devices on an OS the maturity model does not list as supported.
          schema:
            type: string
            enum: ["true", "false"]
            default: "false"
      responses:
        "200":
          description: The device table in the asked format.
          content:
            application/json:
              schema:
                type: object
                required: [trust, from, to, filters, devices]
                properties:
                  trust:
                    type: string
                  from:
                    type: string
                    format: date
                  to:
                    type: string
                    format: date
                  filters:
                    type: object
                  devices:
                    type: array
                    items:
                      type: object
                      required: [device_id, site, last_seen_ms, logons, boots]
                      properties:
                        device_id: {type: string}
                        site: {type: string}
                        vendor: {type: string}
                        model: {type: string}
                        os_id: {type: string}
                        os_version: {type: string}
                        os_name: {type: string}
                        system_disk: {type: string}
                        memory_mb: {type: integer}
                        agent_version: {type: string}
                        last_seen_ms: {type: integer}
                        logons: {type: integer}
                        logon_p90_ms: {type: integer}
                        boots: {type: integer}
                        boot_p90_ms: {type: integer}
            text/csv:
              schema:
                type: string
        "400":
          description: |
            Not a trust code, an unknown format, a filter that is not true or
            false, silent_days outside 1 to 400, or a period that is not
            allowed (as for reports). `detail` says what is allowed; `errors`
            names the parameter.
          content:
            application/problem+json:
              schema:
                $ref: "#/components/schemas/Problem"
        "401":
          $ref: "#/components/responses/Unauthorized"
        "403":
          description: A token that is not an admin token.
          content:
            application/problem+json:
              schema:
                $ref: "#/components/schemas/Problem"
        "404":
          description: The trust is not set up on this collector.
          content:
            application/problem+json:
              schema:
                $ref: "#/components/schemas/Problem"
        "503":
          description: The collector is busy rendering reports; retry after `Retry-After` seconds.
          headers:
            Retry-After:
              description: Seconds to wait before retrying.
              schema:
                type: integer
          content:
            application/problem+json:
              schema:
                $ref: "#/components/schemas/Problem"
  /v1/trusts:
    get:
      tags: [national]
      operationId: listTrusts
      summary: Every trust on the collector
      description: |
        Each trust set up on the collector, by ODS code: its name, the devices
        known, the start of its newest stored event and its first day with
        data (the earliest `from` a report of it takes). For a toolkit token
        or an admin token; every read is audited.
      security:
        - bearerAuth: []
      responses:
        "200":
          description: The trusts, in code order.
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/TrustList"
        "401":
          $ref: "#/components/responses/Unauthorized"
        "403":
          description: A token that is neither toolkit nor admin.
          content:
            application/problem+json:
              schema:
                $ref: "#/components/schemas/Problem"
  /v1/indicators:
    get:
      tags: [national]
      operationId: getNationalIndicators
      summary: Every trust's graded indicators (the national export)
      description: |
        Every trust's report for a period (default: the last 28 days, today
        included), as `GET /v1/trusts/{ods}/report` grades it, each trust
        beside the median of the others: the document the maturity toolkit
        imports. `json` is the all-trusts report of
        collector/indicators.schema.json, `csv` one row per trust, site and
        indicator, `fhir` a FHIR R4 Bundle of Measures and MeasureReports.
        Every trust is graded before the answer starts (trusts whose data has
        not changed since they were last graded are taken as they were), then
        the document is written trust by trust, so the collector's memory
        does not grow with the number of trusts. For a toolkit token or an
        admin token; every read is audited.
      security:
        - bearerAuth: []
      parameters:
        - name: format
          in: query
          required: false
          schema:
            type: string
            enum: [json, csv, fhir]
            default: json
        - name: from
          in: query
          required: false
          description: First day of the period (UTC), YYYY-MM-DD.
          schema:
            type: string
            format: date
        - name: to
          in: query
          required: false
          description: The day after the period's last (UTC), YYYY-MM-DD.
          schema:
            type: string
            format: date
      responses:
        "200":
          description: Every trust's graded indicators in the asked format.
          content:
            application/json:
              schema:
                type: object
            text/csv:
              schema:
                type: string
            application/fhir+json:
              schema:
                type: object
        "400":
          description: |
            An unknown format, a date that does not exist or is not
            YYYY-MM-DD, or a period that is not allowed: empty or reversed,
            starting after today, or longer than 400 days. `detail` says what
            is allowed; `errors` names the parameter.
          content:
            application/problem+json:
              schema:
                $ref: "#/components/schemas/Problem"
        "401":
          $ref: "#/components/responses/Unauthorized"
        "403":
          description: A token that is neither toolkit nor admin.
          content:
            application/problem+json:
              schema:
                $ref: "#/components/schemas/Problem"
        "503":
          description: |
            As many reports as the collector prepares at once are being
            prepared already (`max_concurrent_reports`), or grading ran past
            the time limit (`report_time_limit_seconds`) and was stopped; the
            trusts graded by then are kept, so a retry goes further. Retry
            after `Retry-After` seconds.
          headers:
            Retry-After:
              description: Seconds to wait before retrying.
              schema:
                type: integer
          content:
            application/problem+json:
              schema:
                $ref: "#/components/schemas/Problem"
  /metrics:
    get:
      tags: [operations]
      operationId: getMetrics
      summary: Prometheus metrics
      description: |
        The collector's own metrics in the Prometheus text exposition format
        (version 0.0.4), for scraping. Needs no token: it names routes,
        methods and status codes, never trusts, devices or tokens.

        - `deskready_events_total{result}`: events received, by `result`
          (`accepted`, `duplicate`, `rejected`).
        - `deskready_http_requests_total{route,method,status}`: requests by
          matched route (`NotFound` for unknown paths), method and status.
        - `deskready_batch_duration_seconds`: histogram of the time to
          validate and durably store one batch.
        - `deskready_write_queue_depth`: batches waiting for or holding the
          database writer.
        - `deskready_database_bytes`: size of the store (the SQLite file
          and its WAL, or the PostgreSQL database).
        - `deskready_report_cache_hits_total`,
          `deskready_report_cache_misses_total` and
          `deskready_report_cache_entries{kind}`: graded trusts taken from
          the report cache and graded from the store since the start, and
          what is kept now (`whole_report`, `peer_grades`).
        - `deskready_aggregate_fold_backlog_rows` and
          `deskready_aggregate_fold_lag_seconds` (PostgreSQL store only):
          partial aggregate rows waiting to be folded, and the age of the
          oldest.
      responses:
        "200":
          description: The metrics, one sample a line.
          content:
            text/plain:
              schema:
                type: string
              examples:
                metrics:
                  value: |
                    # HELP deskready_events_total Events received, by result.
                    # TYPE deskready_events_total counter
                    deskready_events_total{result="accepted"} 2
                    deskready_events_total{result="rejected"} 0
                    deskready_events_total{result="duplicate"} 0
        "500":
          $ref: "#/components/responses/InternalError"

  /openapi.yaml:
    get:
      tags: [operations]
      operationId: getOpenAPIDocument
      summary: This document
      description: |
        This OpenAPI document, as built into the collector binary. Needs no
        token.
      responses:
        "200":
          description: The OpenAPI 3.1 document in YAML.
          content:
            application/yaml:
              schema:
                type: object
                description: The document, a YAML mapping (this very document).
                required: [openapi, info, paths]
                properties:
                  openapi:
                    type: string
                    pattern: "^3\\.1\\.[0-9]+$"
        "500":
          $ref: "#/components/responses/InternalError"

  /v1/enrol:
    post:
      tags: [enrolment]
      operationId: enrolDevice
      summary: Enrol a device and issue its device token
      description: |
        Exchanges an enrolment token (role `enrolment`, bound to one trust)
        for a device token for one device of that trust. The agent does this
        once, on its first start, and keeps the device token; the enrolment
        token can enrol any number of devices until it is revoked or expires.

        Enrolling a device id that the trust already knows issues a new
        device token, revokes that device's earlier device tokens and records
        the new site, but only from the machine that enrolled it first (the
        same `install_key`): another machine with the same id (a cloned
        image) gets `409`. A device an administrator revoked gets `403` until
        they run `deskready device restore`.

        The checks run in this order: the token (`401`, `403` for a token of
        another role), body size as sent (`413`), content encoding (`415`),
        gzip inflation and its size (`400`, `413`), JSON decoding (`400`),
        then `device_id` and `site` (`400`). The body is read as JSON
        whatever its `Content-Type`; it may be gzip-compressed with
        `Content-Encoding: gzip`.
      security:
        - bearerAuth: []
      requestBody:
        required: true
        description: The device to enrol. Unknown members are ignored.
        content:
          application/json:
            schema:
              $ref: "#/components/schemas/EnrolmentRequest"
            examples:
              workstation:
                value:
                  device_id: 4f1c2a9e8b7d4c3aa1b2c3d4e5f60718
                  site: RXX01
      responses:
        "201":
          description: |
            The device is enrolled. `device_token` is shown only in this
            answer; the collector keeps only its hash. Send it as
            `Authorization: Bearer <device_token>` with every batch.
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/EnrolmentResponse"
              examples:
                enrolled:
                  value:
                    device_id: 4f1c2a9e8b7d4c3aa1b2c3d4e5f60718
                    trust: RXX
                    site: RXX01
                    device_token: drd_EXAMPLE-not-a-real-device-token_0123456789a
        "400":
          description: |
            Nothing was enrolled: the body is not JSON or not a complete gzip
            stream, `device_id` or `site` is missing or not a string, or
            their values are wrong (`errors` points at `/device_id` and
            `/site`). `site` must begin with the enrolment token's trust.
          content:
            application/problem+json:
              schema:
                $ref: "#/components/schemas/Problem"
              examples:
                badValues:
                  summary: A malformed device id and a site of another trust
                  value:
                    type: about:blank
                    title: Invalid enrolment
                    status: 400
                    detail: "/device_id must be 1 to 64 letters, digits, '.', '_', '-' or ':'; /site must be a site ODS code beginning with this token's trust RXX"
                    errors:
                      - pointer: /device_id
                        problem: "must be 1 to 64 letters, digits, '.', '_', '-' or ':'"
                      - pointer: /site
                        problem: must be a site ODS code beginning with this token's trust RXX
                missingField:
                  summary: A required field is missing
                  value:
                    type: about:blank
                    title: Invalid enrolment
                    status: 400
                    detail: /site is required but missing
                    errors:
                      - pointer: /site
                        problem: is required but missing
        "401":
          $ref: "#/components/responses/Unauthorized"
        "403":
          description: |
            Nothing was enrolled: the token is not an enrolment token (for
            example a device token), or the device was revoked by an
            administrator and may not enrol until `deskready device restore`.
          content:
            application/problem+json:
              schema:
                $ref: "#/components/schemas/Problem"
              examples:
                wrongRole:
                  value:
                    type: about:blank
                    title: Forbidden
                    status: 403
                    detail: a device token may not use this endpoint; it needs an enrolment token
        "409":
          description: |
            Nothing was enrolled: the device id is enrolled already from
            another machine (another `install_key`), as happens with cloned
            images that share `/etc/machine-id`. Give this machine its own id.
          content:
            application/problem+json:
              schema:
                $ref: "#/components/schemas/Problem"
        "413":
          $ref: "#/components/responses/ContentTooLarge"
        "415":
          description: "`Content-Encoding` is neither `gzip` nor `identity`. Nothing was enrolled."
          content:
            application/problem+json:
              schema:
                $ref: "#/components/schemas/Problem"
              examples:
                contentEncoding:
                  value:
                    type: about:blank
                    title: Unsupported Content-Encoding
                    status: 415
                    detail: Content-Encoding 'br' is not supported; send the body as is or gzip-compressed
        "500":
          $ref: "#/components/responses/InternalError"

  /v1/batches:
    post:
      tags: [ingestion]
      operationId: postBatch
      summary: Store a batch of measurements
      description: |
        Stores the events of one batch from one device. Needs the device
        token of that device (role `device`): the batch's `device.id` and
        `device.trust` must be the token's. The batch's `device.site` is not
        compared with the site given at enrolment; it becomes the device's
        recorded site.

        Send `Content-Type: application/json`; the body may be gzip-compressed
        with `Content-Encoding: gzip` (the agent does this). The checks run in
        this order: the token (`401`, `403` for a token of another role),
        media type (`415`), a place in the write queue (`503`), body size as
        sent (`413`), content encoding (`415`), gzip inflation and its size
        (`400`, `413`), JSON decoding (`400`), the batch envelope (`400`),
        the batch's device and trust against the token's (`403`), then each
        event (listed in `rejected` of a `200`).

        Retrying is always safe: resend the same body (same `batch_id` and
        event ids) after a network error, a `5xx`, or no answer; after a
        `503`, wait `Retry-After` seconds first. Do not retry a `400`, `403`
        or `413` unchanged: it will fail the same way. After a `401`, enrol
        again for a new device token.
      security:
        - bearerAuth: []
      parameters:
        - name: Content-Encoding
          in: header
          required: false
          description: |
            `gzip` (or its alias `x-gzip`) for a gzip-compressed body;
            `identity` or no header for a plain body. Anything else is `415`.
          schema:
            type: string
            enum: [gzip, x-gzip, identity]
            default: identity
          example: gzip
      requestBody:
        required: true
        description: One batch in wire format version 1. Unknown members are ignored.
        content:
          application/json:
            schema:
              $ref: "#/components/schemas/Batch"
            examples:
              logonAndBoot:
                summary: A boot and a logon from one workstation
                value:
                  schema_version: 1
                  batch_id: 0192f1c4-7a3e-7c1d-9b2a-5f0e8d6c4b31
                  device:
                    id: 4f1c2a9e8b7d4c3aa1b2c3d4e5f60718
                    trust: RXX
                    site: RXX01
                  sent_at_ms: 1732640000000
                  events:
                    - id: 0192f1c0-1b2c-7d3e-8f40-1a2b3c4d5e6f
                      kind: boot
                      name: ubuntu-24.04
                      started_at_ms: 1732639700000
                      duration_ms: 41250
                      phases:
                        firmware: 8200
                        loader: 1900
                        kernel: 2100
                        initrd: 3400
                        userspace: 25650
                        target_reached: 31200
                      outcome: ok
                      attributes:
                        source: systemd-analyze
                    - id: 0192f1c2-3c4d-7e5f-9a60-2b3c4d5e6f70
                      kind: logon
                      name: wayland
                      started_at_ms: 1732639800000
                      duration_ms: 23400
                      phases:
                        authentication: 6100
                        session_start: 12800
                        responsive: 4500
                      outcome: ok
                      user: 9f86d081884c7d659a2feaa0c55ad015
                      attributes:
                        source: marks
                        end: responsive
                        session: "3"
              appStart:
                summary: One application start that timed out
                value:
                  schema_version: 1
                  batch_id: 0192f1d0-0000-7000-8000-000000000001
                  device:
                    id: ws-rxx01-0042
                    trust: RXX
                    site: RXX01
                  sent_at_ms: 1732640100000
                  events:
                    - id: 0192f1cf-ffff-7abc-8def-0123456789ab
                      kind: app_start
                      name: epr-client
                      started_at_ms: 1732640040000
                      duration_ms: 60000
                      outcome: timeout
                      user: 2c26b46b68ffc68ff99b453c1d304134
      responses:
        "200":
          description: |
            The batch was read. `accepted` events were stored now, `duplicates`
            were already stored (a retry) and were not stored again, and each
            event in `rejected` was refused on its own. Every event of the
            batch is in exactly one of the three. The agent may forget the
            whole batch on this answer.
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/BatchAcknowledgement"
              examples:
                allStored:
                  summary: A first send, all stored
                  value:
                    batch_id: 0192f1c4-7a3e-7c1d-9b2a-5f0e8d6c4b31
                    accepted: 2
                    duplicates: 0
                    rejected: []
                    duplicate_batch: false
                retried:
                  summary: The same batch sent again after a lost answer
                  value:
                    batch_id: 0192f1c4-7a3e-7c1d-9b2a-5f0e8d6c4b31
                    accepted: 0
                    duplicates: 2
                    rejected: []
                    duplicate_batch: true
                partial:
                  summary: Partial success, one event refused
                  value:
                    batch_id: 0192f1d0-0000-7000-8000-000000000001
                    accepted: 1
                    duplicates: 0
                    rejected:
                      - index: 1
                        event_id: 0192f1cf-ffff-7abc-8def-0123456789ac
                        reason: duration_ms 90000000 is outside 0 to 86400000 (24 hours)
                    duplicate_batch: false
        "400":
          description: |
            The batch cannot be used and nothing of it was written: the body is
            not JSON or not a complete gzip stream, a field is missing or of
            the wrong type, `schema_version` is not supported, the device,
            trust or site is malformed, or there are no events or more than
            5000. Fix the sender; resending the same body fails the same way.
            A number in an integer field that is not a whole number in the
            signed 64-bit range (for example `1.5` or `9223372036854775808`)
            is currently reported as `the body is not valid JSON` with the
            pointer `""`, not by its field.
          content:
            application/problem+json:
              schema:
                $ref: "#/components/schemas/Problem"
              examples:
                notJson:
                  summary: The body is not JSON
                  value:
                    type: about:blank
                    title: Invalid batch
                    status: 400
                    detail: the body is not valid JSON
                    errors:
                      - pointer: ""
                        problem: the body is not valid JSON
                missingField:
                  summary: A required field is missing
                  value:
                    type: about:blank
                    title: Invalid batch
                    status: 400
                    detail: /events/3/duration_ms is required but missing
                    errors:
                      - pointer: /events/3/duration_ms
                        problem: is required but missing
                wrongType:
                  summary: A field has the wrong type
                  value:
                    type: about:blank
                    title: Invalid batch
                    status: 400
                    detail: /sent_at_ms must be an integer
                    errors:
                      - pointer: /sent_at_ms
                        problem: must be an integer
                badEnvelope:
                  summary: Unsupported version and a site outside its trust
                  value:
                    type: about:blank
                    title: Invalid batch
                    status: 400
                    detail: "/schema_version version 2 is not supported; this collector understands 1; /device/site must be a site ODS code of 3 to 10 upper-case letters or digits beginning with the trust's code RXX"
                    errors:
                      - pointer: /schema_version
                        problem: version 2 is not supported; this collector understands 1
                      - pointer: /device/site
                        problem: must be a site ODS code of 3 to 10 upper-case letters or digits beginning with the trust's code RXX
                tooManyEvents:
                  summary: More than 5000 events
                  value:
                    type: about:blank
                    title: Invalid batch
                    status: 400
                    detail: /events holds 5001 events; at most 5000 are allowed in one batch, send the rest in another
                    errors:
                      - pointer: /events
                        problem: holds 5001 events; at most 5000 are allowed in one batch, send the rest in another
                badGzip:
                  summary: Marked gzip but not a gzip stream
                  value:
                    type: about:blank
                    title: Bad gzip body
                    status: 400
                    detail: "the body is marked Content-Encoding: gzip but is not a complete gzip stream"
        "401":
          $ref: "#/components/responses/Unauthorized"
        "403":
          description: |
            Nothing was written: the token is neither a device nor an importer
            token (for example an enrolment token), or the batch names another
            trust than the token's, or (device tokens) another device.
          content:
            application/problem+json:
              schema:
                $ref: "#/components/schemas/Problem"
              examples:
                wrongRole:
                  summary: An enrolment token
                  value:
                    type: about:blank
                    title: Forbidden
                    status: 403
                    detail: a enrolment token may not use this endpoint; it needs a device token
                otherDevice:
                  summary: A batch for another device
                  value:
                    type: about:blank
                    title: Forbidden
                    status: 403
                    detail: this device token belongs to device 4f1c2a9e8b7d4c3aa1b2c3d4e5f60718 of trust RXX; it may not write batches for device ws-rxx01-0042 of trust RXX. Nothing was stored.
        "413":
          description: |
            The body is larger than 4 MiB as sent, or inflates to more than
            32 MiB. Nothing was written; send fewer events per batch.
          content:
            application/problem+json:
              schema:
                $ref: "#/components/schemas/Problem"
              examples:
                tooLargeAsSent:
                  value:
                    type: about:blank
                    title: Content Too Large
                    status: 413
                    detail: the body is 5242880 bytes; this collector accepts at most 4194304 bytes per request, send smaller batches
                tooLargeInflated:
                  value:
                    type: about:blank
                    title: Content Too Large
                    status: 413
                    detail: the body inflates to more than 33554432 bytes; send smaller batches
        "415":
          description: |
            `Content-Type` is not `application/json` (parameters such as
            `charset` are allowed), or `Content-Encoding` is neither `gzip`
            nor `identity`. Nothing was written.
          content:
            application/problem+json:
              schema:
                $ref: "#/components/schemas/Problem"
              examples:
                contentType:
                  value:
                    type: about:blank
                    title: Unsupported Media Type
                    status: 415
                    detail: "send the batch as Content-Type: application/json (optionally with Content-Encoding: gzip)"
                contentEncoding:
                  value:
                    type: about:blank
                    title: Unsupported Content-Encoding
                    status: 415
                    detail: Content-Encoding 'br' is not supported; send the body as is or gzip-compressed
        "500":
          $ref: "#/components/responses/InternalError"
        "503":
          description: |
            The collector's write queue is full (more than
            `--max-pending-batches` batches are waiting for the database).
            Nothing was stored; send the same batch again after `Retry-After`
            seconds.
          headers:
            Retry-After:
              description: Seconds to wait before sending the batch again.
              required: true
              schema:
                type: integer
                minimum: 0
              example: 2
          content:
            application/problem+json:
              schema:
                $ref: "#/components/schemas/Problem"
              examples:
                busy:
                  value:
                    type: about:blank
                    title: Busy
                    status: 503
                    detail: the collector's write queue is full; retry after 2 s. Nothing was stored.

components:
  securitySchemes:
    bearerAuth:
      type: http
      scheme: bearer
      description: |
        `Authorization: Bearer <token>`. Tokens are 256-bit random strings
        behind a role prefix: `dre_` enrolment (for `POST /v1/enrol`), `drd_`
        device (for `POST /v1/batches`), `dra_` admin, `drr_` reader, `dri_`
        importer, `drt_` toolkit. The collector stores only their SHA-256
        hashes.

  responses:
    NotFound:
      description: |
        No such endpoint. Every path not listed in this document, and every
        method not listed for a path (the router does not tell the two apart
        and never answers `405`), is answered `404` with this problem
        document. It is not repeated under each operation.
      content:
        application/problem+json:
          schema:
            $ref: "#/components/schemas/Problem"
          examples:
            notFound:
              value:
                type: about:blank
                title: Not Found
                status: 404
                detail: no such endpoint; see /openapi.yaml for the collector's API
    Unauthorized:
      description: |
        No `Authorization: Bearer` token was sent, or the token is unknown,
        revoked or expired. Nothing was done. A device whose token is refused
        should enrol again; anyone else asks the collector's administrator
        for a new token.
      headers:
        WWW-Authenticate:
          description: Always `Bearer`.
          required: true
          schema:
            type: string
          example: Bearer
      content:
        application/problem+json:
          schema:
            $ref: "#/components/schemas/Problem"
          examples:
            noToken:
              summary: No bearer token
              value:
                type: about:blank
                title: Unauthorized
                status: 401
                detail: "this endpoint needs a token: send `Authorization: Bearer <token>`"
            badToken:
              summary: Unknown, revoked or expired token
              value:
                type: about:blank
                title: Unauthorized
                status: 401
                detail: "the token is unknown, revoked or expired; ask the collector's administrator for a new one (devices: enrol again)"
    ContentTooLarge:
      description: |
        The body is larger than the collector accepts as sent (4 MiB by
        default), or a gzip body inflates to more than 32 MiB. Nothing was
        done.
      content:
        application/problem+json:
          schema:
            $ref: "#/components/schemas/Problem"
          examples:
            tooLargeAsSent:
              value:
                type: about:blank
                title: Content Too Large
                status: 413
                detail: the body is 5242880 bytes; this collector accepts at most 4194304 bytes per request, send smaller batches
    InternalError:
      description: |
        The collector failed to handle the request; the cause is logged on the
        server. For `POST /v1/batches` it is not known whether anything was
        stored: retry the same batch later (it is safe to do so).
      content:
        application/problem+json:
          schema:
            $ref: "#/components/schemas/Problem"
          examples:
            internal:
              value:
                type: about:blank
                title: Internal Server Error
                status: 500
                detail: the collector failed to handle the request; it is logged on the server. Retry later.

  schemas:
    Health:
      type: object
      required: [status]
      properties:
        status:
          const: ok
      examples:
        - status: ok

    Readiness:
      type: object
      required: [status]
      properties:
        status:
          const: ready
      examples:
        - status: ready

    DeviceId:
      type: string
      description: |
        Stable device id, 1 to 64 letters, digits, `.`, `_`, `-` or `:`.
        The agent uses /etc/machine-id unless configured otherwise.
      minLength: 1
      maxLength: 64
      pattern: "^[A-Za-z0-9._:-]{1,64}$"
      examples:
        - 4f1c2a9e8b7d4c3aa1b2c3d4e5f60718

    TrustCode:
      type: string
      description: The NHS trust's ODS code, 3 to 5 upper-case letters or digits.
      minLength: 3
      maxLength: 5
      pattern: "^[A-Z0-9]{3,5}$"
      examples:
        - RXX

    SiteCode:
      type: string
      description: |
        The site's ODS code, 3 to 10 upper-case letters or digits, which must
        begin with its trust's code (for example `RXX01` in trust `RXX`).
      minLength: 3
      maxLength: 10
      pattern: "^[A-Z0-9]{3,10}$"
      examples:
        - RXX01

    EnrolmentRequest:
      type: object
      description: |
        What an agent sends with its enrolment token to get its own device
        token. Unknown members are ignored.
      required: [device_id, site]
      properties:
        device_id:
          $ref: "#/components/schemas/DeviceId"
          description: The device to enrol; its batches must name this `device.id`.
        site:
          $ref: "#/components/schemas/SiteCode"
          description: |
            The device's site. It must begin with the enrolment token's
            trust, otherwise `400` with the pointer `/site`.
        install_key:
          type: [string, "null"]
          minLength: 16
          maxLength: 128
          description: |
            A random secret the agent made once on its machine. A device id
            enrolled with an install key enrols again only with the same key.

    EnrolmentResponse:
      type: object
      description: The enrolled device and its device token, shown only once.
      required: [device_id, trust, site, device_token]
      properties:
        device_id:
          $ref: "#/components/schemas/DeviceId"
          description: The enrolled device, as sent.
        trust:
          $ref: "#/components/schemas/TrustCode"
          description: The enrolment token's trust, which the device now belongs to.
        site:
          $ref: "#/components/schemas/SiteCode"
          description: The site, as sent.
        device_token:
          type: string
          description: |
            The device's bearer token for `POST /v1/batches`: `drd_` and 43
            characters of unpadded base64url (256 random bits). Keep it
            secret; it replaces any earlier token of the device.
          pattern: "^drd_[A-Za-z0-9_-]{43}$"
          examples:
            - drd_EXAMPLE-not-a-real-device-token_0123456789a

    Uuid:
      type: string
      format: uuid
      description: A UUID in its canonical textual form (either letter case is read).
      pattern: "^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$"
      examples:
        - 0192f1c4-7a3e-7c1d-9b2a-5f0e8d6c4b31

    EpochMilliseconds:
      type: integer
      format: int64
      description: A wall-clock instant, UTC, in milliseconds since the Unix epoch.
      examples:
        - 1732640000000

    DurationMilliseconds:
      type: integer
      format: int64
      minimum: 0
      maximum: 86400000
      description: A duration in milliseconds, at most 24 hours.
      examples:
        - 23400

    Batch:
      type: object
      description: |
        What an agent sends in one request: up to 5000 events from one device.
        Unknown members are ignored (for forward compatibility).
      required: [schema_version, batch_id, device, sent_at_ms, events]
      properties:
        schema_version:
          type: integer
          description: The wire format version. Only `1` is supported; any other value is `400`.
          enum: [1]
        batch_id:
          $ref: "#/components/schemas/Uuid"
          description: |
            Chosen by the agent before the first send and kept across
            retries. A batch id already stored for the trust is answered
            with `duplicate_batch: true`.
        device:
          $ref: "#/components/schemas/Device"
        sent_at_ms:
          $ref: "#/components/schemas/EpochMilliseconds"
          description: |
            The agent's wall clock when it sent the batch, UTC milliseconds
            since the epoch. The collector compares it with its own clock to
            record the device's clock skew; it is not range-checked.
        events:
          type: array
          minItems: 1
          maxItems: 5000
          items:
            $ref: "#/components/schemas/Event"

    Device:
      type: object
      description: |
        The workstation that produced the batch, and the trust and site it
        belongs to. `id` and `trust` must be those of the device token
        (otherwise `403`).
      required: [id, trust, site]
      properties:
        id:
          $ref: "#/components/schemas/DeviceId"
        trust:
          $ref: "#/components/schemas/TrustCode"
        site:
          $ref: "#/components/schemas/SiteCode"
          description: |
            The site's ODS code, which must begin with the trust's code (for
            example `RXX01` in trust `RXX`). A site outside its trust is
            `400`. It becomes the device's recorded site.
        agent_version:
          type: [string, "null"]
          minLength: 1
          maxLength: 64
          pattern: "^[^\\u0000-\\u001f\\u007f-\\u009f]+$"
          description: |
            Optional: the agent's version and commit, for example
            `1.2.0 (0123abcdef01)`, 1 to 64 printable characters (otherwise
            `400`). Stored per device and shown by `deskready device list`.

    Event:
      type: object
      description: |
        One measurement. Checked one by one: an event that breaks a rule
        below is listed in the acknowledgement's `rejected` and the others are
        still stored. A missing or mistyped required field, or an `id` that is
        not a UUID, makes the whole batch unreadable (`400`).
      required: [id, kind, name, started_at_ms, duration_ms, outcome]
      properties:
        id:
          $ref: "#/components/schemas/Uuid"
          description: |
            Chosen by the agent and kept across retries; the collector's
            de-duplication key within a trust. UUIDv7 (time-ordered) is
            recommended. The same id twice in one batch rejects the second.
        kind:
          type: string
          description: |
            What the event measures: `boot` (power-on to the graphical
            target), `logon` (credentials accepted to a responsive desktop),
            `unlock` (a screen unlock: credentials accepted while the user's
            desktop session was already live; counted, duration 0),
            `app_start` (an application's start to first use), `probe` (a
            network probe to a clinical system), `inventory` (a device
            snapshot) or `agent` (the agent's own accounting, for example
            events dropped from a full spool). Another value rejects the event,
            not the batch.
          enum: [boot, logon, unlock, app_start, probe, inventory, agent]
        name:
          type: string
          description: The application, the probe target or the session type; 1 to 128 bytes of UTF-8.
          minLength: 1
          maxLength: 128
          examples:
            - wayland
            - epr-client
        started_at_ms:
          $ref: "#/components/schemas/EpochMilliseconds"
          description: |
            Wall-clock start, UTC milliseconds since the epoch. Rejected when
            more than 30 days before the collector's clock or more than 1 day
            after it (the workstation's clock is wrong).
        duration_ms:
          $ref: "#/components/schemas/DurationMilliseconds"
          description: Duration in milliseconds, 0 to 86400000, measured with a monotonic clock.
        phases:
          type: [object, "null"]
          description: |
            Named phases in milliseconds, each 0 to 86400000; at most 16, names
            1 to 64 bytes. A logon has `authentication`, `session_start` and
            `responsive`; a boot has `firmware`, `loader`, `kernel`, `initrd`,
            `userspace` and `target_reached`. A phase that was not observed is
            left out.
          maxProperties: 16
          propertyNames:
            minLength: 1
            maxLength: 64
          additionalProperties:
            $ref: "#/components/schemas/DurationMilliseconds"
          examples:
            - authentication: 6100
              session_start: 12800
              responsive: 4500
        outcome:
          type: string
          description: |
            How the operation ended: `ok`, `failed`, `timeout`, or `incomplete`
            (started but never finished, for example a logon whose desktop
            never became ready). Another value rejects the event, not the batch.
          enum: [ok, failed, timeout, incomplete]
        user:
          type: [string, "null"]
          description: |
            Keyed HMAC-SHA256 pseudonym of the user, computed on the device
            with the trust's secret key; never a user name: the first 128 bits
            as 32 lower-case hex digits. Any other value refuses the event
            (it appears in `rejected` with the reason), so no raw user name
            is ever stored.
          pattern: "^[0-9a-f]{32}$"
          examples:
            - 9f86d081884c7d659a2feaa0c55ad015
        attributes:
          type: [object, "null"]
          description: |
            Free string attributes (for example `source`, `reason`,
            `os_version`): at most 32, names 1 to 64 bytes, values at most 512
            bytes.
          maxProperties: 32
          propertyNames:
            minLength: 1
            maxLength: 64
          additionalProperties:
            type: string
            maxLength: 512
          examples:
            - source: marks
              end: responsive

    BatchAcknowledgement:
      type: object
      description: |
        The collector's answer to a batch it read. Every event of the batch is
        counted once: in `accepted`, in `duplicates` or in `rejected`.
      required: [batch_id, accepted, duplicates, rejected, duplicate_batch]
      properties:
        batch_id:
          $ref: "#/components/schemas/Uuid"
          description: The `batch_id` of the request, echoed.
        accepted:
          type: integer
          minimum: 0
          description: Events stored by this request.
        duplicates:
          type: integer
          minimum: 0
          description: Events already stored earlier (a retried batch or event); acknowledged and not stored again.
        rejected:
          type: array
          description: Events refused one by one; empty when none were.
          items:
            $ref: "#/components/schemas/RejectedEvent"
        duplicate_batch:
          type: boolean
          description: True when this batch id had already been stored for the trust.

    RejectedEvent:
      type: object
      description: One event the collector refused, by its position in the batch.
      required: [index, reason]
      properties:
        index:
          type: integer
          minimum: 0
          description: Zero-based position of the event in the request's `events`.
        event_id:
          $ref: "#/components/schemas/Uuid"
          description: The event's `id` (always sent by this collector).
        reason:
          type: string
          description: What is wrong with the event, in words.
          examples:
            - started_at_ms 1700000000000 is more than 30 days before the collector's clock (1732640000000)

    TrustList:
      type: object
      required: [trusts]
      additionalProperties: false
      properties:
        trusts:
          type: array
          items:
            type: object
            required: [ods, name, devices_known]
            additionalProperties: false
            properties:
              ods:
                $ref: "#/components/schemas/TrustCode"
              name:
                type: string
              devices_known:
                type: integer
                minimum: 0
              newest_data_at:
                type: string
                format: date-time
                description: Start of the trust's newest stored event, UTC; absent before its first.
              first_data_day:
                type: string
                format: date
                description: The trust's first day with data, UTC; absent before its first.
    Problem:
      type: object
      description: An RFC 9457 problem document, with the request fields at fault.
      required: [type, title, status, detail]
      properties:
        type:
          type: string
          format: uri-reference
          description: A URI naming the problem type; currently always `about:blank`.
          default: about:blank
        title:
          type: string
          description: A short summary of the problem type.
        status:
          type: integer
          minimum: 400
          maximum: 599
          description: The HTTP status code, repeated.
        detail:
          type: string
          description: What went wrong with this request and how to fix it.
        errors:
          type: array
          description: Each request field at fault; present on `400` for an unusable batch or enrolment.
          items:
            $ref: "#/components/schemas/FieldProblem"
      examples:
        - type: about:blank
          title: Invalid batch
          status: 400
          detail: /events/3/duration_ms must be an integer
          errors:
            - pointer: /events/3/duration_ms
              problem: must be an integer

    FieldProblem:
      type: object
      required: [pointer, problem]
      properties:
        pointer:
          type: string
          description: |
            RFC 6901 JSON pointer into the request body, for example
            `/events/3/duration_ms`; the empty string means the whole body.
          examples:
            - /events/3/duration_ms
        problem:
          type: string
          description: What is wrong with that field.
          examples:
            - is required but missing
"""#
}
