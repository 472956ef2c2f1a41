/// The report page's stylesheet, inlined so the page needs nothing from the network.
enum HTMLStyle {
    static let css = """
        :root { color-scheme: light; }
        * { box-sizing: border-box; }
        body { margin: 0; background: #f5f7fa; color: #1f2933; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
        main { max-width: 1160px; margin: 0 auto; padding: 24px 20px 48px; }
        header.report { border-bottom: 3px solid #005eb8; padding-bottom: 12px; margin-bottom: 8px; }
        header.report h1 { font-size: 26px; margin: 0 0 4px; color: #003087; }
        header.report p { margin: 2px 0; color: #52606d; }
        section.trust { background: #fff; border: 1px solid #e4e7eb; border-radius: 10px; padding: 22px 24px; margin: 22px 0; }
        section.trust h2 { margin: 0 0 14px; font-size: 22px; }
        h3 { font-size: 17px; margin: 26px 0 10px; color: #323f4b; }
        .headline { display: flex; gap: 22px; align-items: center; flex-wrap: wrap; }
        .badge { width: 132px; height: 132px; border-radius: 14px; display: flex; flex-direction: column; align-items: center; justify-content: center; }
        .badge .big { font-size: 60px; font-weight: 700; line-height: 1; }
        .badge .small { font-size: 14px; font-weight: 600; margin-top: 6px; }
        .headline .facts { flex: 1; min-width: 320px; }
        .headline .facts p { margin: 4px 0; }
        .headline .lead { font-size: 19px; font-weight: 600; }
        .muted { color: #616e7c; }
        ul.focus { margin: 8px 0 0; padding-left: 20px; }
        table { border-collapse: collapse; width: 100%; font-size: 14px; }
        th, td { text-align: left; padding: 7px 8px; border-bottom: 1px solid #e4e7eb; vertical-align: top; }
        th { background: #f0f4f8; font-weight: 600; color: #323f4b; }
        td.num, th.num { text-align: right; white-space: nowrap; }
        .pill { display: inline-block; min-width: 30px; text-align: center; padding: 1px 8px; border-radius: 10px; font-weight: 700; }
        .better { color: #1e7b34; font-weight: 600; } .worse { color: #b3261e; font-weight: 600; }
        .charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(480px, 1fr)); gap: 18px; }
        figure.chart { margin: 0; border: 1px solid #e4e7eb; border-radius: 8px; padding: 12px 14px; background: #fff; }
        figure.chart figcaption { font-weight: 600; margin-bottom: 6px; }
        .chart-svg { width: 100%; height: auto; display: block; }
        p.note { font-size: 12.5px; color: #616e7c; margin: 6px 0 0; }
        p.empty { color: #52606d; font-style: italic; padding: 40px 0; text-align: center; }
        td.level { text-align: center; }
        details { margin-top: 10px; } summary { cursor: pointer; font-weight: 600; }
        dl.method dt { font-weight: 600; margin-top: 10px; } dl.method dd { margin: 2px 0 0 0; color: #3e4c59; }
        footer { color: #616e7c; font-size: 13px; margin-top: 24px; }
        \(LevelPalette.css)
        @media print { body { background: #fff; } section.trust { break-inside: avoid-page; border: none; } }
        """
}
