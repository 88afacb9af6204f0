import { TemplateError, renderTemplate, type TemplateContext } from "./helm-template.js";

const context: TemplateContext = {
  Values: {
    name: "worker",
    port: 8080,
    empty: "",
    enabled: true,
    disabled: false,
    resources: { limits: { memory: "512Mi" }, requests: { cpu: "100m" } },
  },
  Release: { Name: "r", Namespace: "ns", Service: "Helm" },
  Chart: { Name: "c", Version: "1.0.0", AppVersion: "2.0.0" },
};

const render = (source: string) => renderTemplate(source, context);

describe("the template evaluator", () => {
  test("substitutes field paths", () => {
    expect(render("name: {{ .Values.name }}, ns: {{ .Release.Namespace }}")).toBe(
      "name: worker, ns: ns",
    );
  });

  test("trims whitespace on the marked side only", () => {
    expect(render("a:\n  {{- .Values.name }}\nb")).toBe("a:worker\nb");
    expect(render("a: {{ .Values.name -}}\n\n  b")).toBe("a: workerb");
  });

  test("pipes into quote, default and nindent/toYaml", () => {
    expect(render("{{ .Values.port | quote }}")).toBe('"8080"');
    expect(render("{{ .Values.empty | default .Chart.AppVersion }}")).toBe("2.0.0");
    expect(render('{{ .Values.name | default "x" }}')).toBe("worker");
    expect(render("r:\n  {{- toYaml .Values.resources | nindent 2 }}")).toBe(
      "r:\n  limits:\n    memory: 512Mi\n  requests:\n    cpu: 100m",
    );
  });

  test("if / else follows Go's truthiness", () => {
    expect(render("{{ if .Values.enabled }}on{{ else }}off{{ end }}")).toBe("on");
    expect(render("{{ if .Values.disabled }}on{{ else }}off{{ end }}")).toBe("off");
    expect(render("{{ if .Values.empty }}on{{ end }}")).toBe("");
    expect(render("{{ if not .Values.disabled }}on{{ end }}")).toBe("on");
    expect(render("{{ if not .Values.enabled }}on{{ else }}off{{ end }}")).toBe("off");
    expect(render("{{ if .Values.enabled }}{{ if not .Values.empty }}both{{ end }}{{ end }}")).toBe(
      "both",
    );
    expect(render("{{/* a comment */}}x")).toBe("x");
  });

  test("types the values' numbers as Helm 3 does (float64) and prints them as Go does", () => {
    const big = { ...context, Values: { timeout: 3600000, small: 0.2, port: 8080 } };
    expect(renderTemplate("{{ .Values.timeout }}", big)).toBe("3.6e+06");
    expect(renderTemplate("{{ .Values.timeout | int64 }}", big)).toBe("3600000");
    expect(renderTemplate("{{ .Values.timeout | toString | quote }}", big)).toBe('"3.6e+06"');
    expect(renderTemplate("{{ .Values.small }} {{ .Values.port }}", big)).toBe("0.2 8080");
  });

  test("ranges over a map's keys in sorted order, with its two variables", () => {
    const source = "{{- range $k, $v := .Values.resources }}\n{{ $k }}: {{ toYaml $v }}{{- end }}";
    expect(render(source)).toBe("\nlimits: memory: 512Mi\nrequests: cpu: 100m");
    expect(() => render("{{ $nope }}")).toThrow(/undefined variable/);
  });

  test("refuses what it does not implement, and values that do not resolve", () => {
    expect(() => render("{{ .Values.nmae }}")).toThrow(TemplateError);
    expect(() => render("{{ range .Values.resources }}x{{ end }}")).toThrow(/unsupported/);
    expect(() => render("{{ range $k, $v := .Values.name }}x{{ end }}")).toThrow(/map/);
    expect(() => render('{{ include "x" . }}')).toThrow(/unsupported/);
    expect(() => render("{{ .Values.name | upper }}")).toThrow(/unknown function/);
    expect(() => render("{{ $x := 1 }}")).toThrow(/unsupported/);
    expect(() => render("{{ .Values.resources }}")).toThrow(/toYaml/);
    expect(() => render("{{ if .Values.enabled }}x")).toThrow(/end/);
    expect(() => render('{{ required "need it" .Values.empty }}')).toThrow(/need it/);
  });
});
