/**
 * WebGL2 drawing of float32 tiles: each tile is an R32F texture; the fragment shader maps values
 * through the display limits, a scale and a colormap texture, so changing any of them is a redraw
 * with new uniforms and never a request. Textures are sampled with texelFetch (nearest pixel: R32F
 * is not filterable in core WebGL2, and astronomers want to see pixels when zoomed in).
 */
import { SCALE_CODE, type ScaleName } from "./display-settings.js";

const VERTEX = `#version 300 es
in vec2 a_corner;
uniform vec4 u_rect;   // x0, y0, x1, y1 in image pixel-edge coordinates (0 = left edge of pixel 1)
uniform vec4 u_view;   // centre x, centre y, zoom (canvas pixels per image pixel), unused
uniform vec2 u_canvas; // canvas size in its own pixels
out vec2 v_uv;
void main() {
  vec2 p = mix(u_rect.xy, u_rect.zw, a_corner);
  vec2 clip = 2.0 * (p - u_view.xy) * u_view.z / u_canvas;
  gl_Position = vec4(clip, 0.0, 1.0);
  v_uv = a_corner;
}`;

const FRAGMENT = `#version 300 es
precision highp float;
precision highp int;
uniform highp sampler2D u_tile;
uniform highp sampler2D u_histeq;
uniform lowp sampler2D u_cmap;
uniform float u_vmin;
uniform float u_vmax;
uniform float u_a;
uniform int u_scale;
uniform vec4 u_nan;
in vec2 v_uv;
out vec4 outColor;

float stretch(float x) {
  // astropy.visualization stretches (stretch.py), x already clipped to [0, 1].
  if (u_scale == 1) return log(u_a * x + 1.0) / log(u_a + 1.0);
  if (u_scale == 2) return sqrt(x);
  if (u_scale == 3) return asinh(x / u_a) / asinh(1.0 / u_a);
  if (u_scale == 4) return pow(x, u_a);
  if (u_scale == 5) return x * x;
  if (u_scale == 6) return sinh(x / u_a) / sinh(1.0 / u_a);
  if (u_scale == 7) {
    float n = float(textureSize(u_histeq, 0).x - 1);
    float f = x * n;
    int i = int(floor(f));
    float a = texelFetch(u_histeq, ivec2(clamp(i, 0, int(n)), 0), 0).r;
    float b = texelFetch(u_histeq, ivec2(clamp(i + 1, 0, int(n)), 0), 0).r;
    return mix(a, b, f - float(i));
  }
  return x;
}

void main() {
  ivec2 size = textureSize(u_tile, 0);
  ivec2 p = clamp(ivec2(floor(v_uv * vec2(size))), ivec2(0), size - ivec2(1));
  float v = texelFetch(u_tile, p, 0).r;
  if (isnan(v) || isinf(v) || v != v) {
    outColor = u_nan;
    return;
  }
  float span = u_vmax - u_vmin;
  float x = span > 0.0 ? clamp((v - u_vmin) / span, 0.0, 1.0) : (v >= u_vmax ? 1.0 : 0.0);
  float y = clamp(stretch(x), 0.0, 1.0);
  int i = clamp(int(floor(y * 256.0)), 0, 255);
  outColor = texelFetch(u_cmap, ivec2(i, 0), 0);
}`;

/** A tile uploaded to the GPU. */
export interface GpuTile {
  readonly texture: WebGLTexture;
  /** Image pixel-edge rectangle it covers. */
  readonly rect: [number, number, number, number];
}

export interface DrawSettings {
  readonly vmin: number;
  readonly vmax: number;
  readonly scale: ScaleName;
  readonly parameter: number;
  /** View centre (image pixel-edge coordinates) and zoom (CSS pixels per image pixel). */
  readonly cx: number;
  readonly cy: number;
  readonly zoom: number;
}

function compile(gl: WebGL2RenderingContext, type: number, source: string): WebGLShader {
  const shader = gl.createShader(type);
  if (shader === null) throw new Error("WebGL2: cannot create a shader");
  gl.shaderSource(shader, source);
  gl.compileShader(shader);
  if (!gl.getShaderParameter(shader, gl.COMPILE_STATUS))
    throw new Error(`WebGL2 shader: ${gl.getShaderInfoLog(shader) ?? "compile error"}`);
  return shader;
}

export class TileRenderer {
  readonly gl: WebGL2RenderingContext;
  private readonly program: WebGLProgram;
  private readonly cmap: WebGLTexture;
  private readonly histeq: WebGLTexture;
  private readonly u: Record<string, WebGLUniformLocation | null>;

  constructor(readonly canvas: HTMLCanvasElement) {
    const gl = canvas.getContext("webgl2", {
      antialias: false,
      premultipliedAlpha: false,
      preserveDrawingBuffer: true,
    });
    if (gl === null) throw new Error("this browser has no WebGL2; the FITS viewer needs it");
    this.gl = gl;
    const program = gl.createProgram();
    gl.attachShader(program, compile(gl, gl.VERTEX_SHADER, VERTEX));
    gl.attachShader(program, compile(gl, gl.FRAGMENT_SHADER, FRAGMENT));
    gl.linkProgram(program);
    if (!gl.getProgramParameter(program, gl.LINK_STATUS))
      throw new Error(`WebGL2 program: ${gl.getProgramInfoLog(program) ?? "link error"}`);
    this.program = program;
    // biome-ignore lint/correctness/useHookAtTopLevel: WebGL useProgram, not a React hook
    gl.useProgram(program);
    const buffer = gl.createBuffer();
    gl.bindBuffer(gl.ARRAY_BUFFER, buffer);
    gl.bufferData(gl.ARRAY_BUFFER, new Float32Array([0, 0, 1, 0, 0, 1, 1, 1]), gl.STATIC_DRAW);
    const loc = gl.getAttribLocation(program, "a_corner");
    gl.enableVertexAttribArray(loc);
    gl.vertexAttribPointer(loc, 2, gl.FLOAT, false, 0, 0);
    const names = [
      "u_rect",
      "u_view",
      "u_canvas",
      "u_tile",
      "u_histeq",
      "u_cmap",
      "u_vmin",
      "u_vmax",
      "u_a",
      "u_scale",
      "u_nan",
    ];
    this.u = Object.fromEntries(names.map((n) => [n, gl.getUniformLocation(program, n)]));
    gl.uniform1i(this.u.u_tile!, 0);
    gl.uniform1i(this.u.u_cmap!, 1);
    gl.uniform1i(this.u.u_histeq!, 2);
    this.cmap = this.texture();
    this.histeq = this.texture();
    this.setHisteq(new Float32Array([0, 1]));
  }

  private texture(): WebGLTexture {
    const gl = this.gl;
    const t = gl.createTexture();
    gl.bindTexture(gl.TEXTURE_2D, t);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MIN_FILTER, gl.NEAREST);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MAG_FILTER, gl.NEAREST);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_S, gl.CLAMP_TO_EDGE);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_T, gl.CLAMP_TO_EDGE);
    return t;
  }

  /** 256 RGBA entries. */
  setColormap(rgba: Uint8Array): void {
    const gl = this.gl;
    gl.activeTexture(gl.TEXTURE1);
    gl.bindTexture(gl.TEXTURE_2D, this.cmap);
    gl.pixelStorei(gl.UNPACK_ALIGNMENT, 1);
    gl.texImage2D(gl.TEXTURE_2D, 0, gl.RGBA8, 256, 1, 0, gl.RGBA, gl.UNSIGNED_BYTE, rgba);
    gl.activeTexture(gl.TEXTURE0);
  }

  /** Histogram-equalisation table (values of x = i/(n−1)). */
  setHisteq(table: Float32Array): void {
    const gl = this.gl;
    gl.activeTexture(gl.TEXTURE2);
    gl.bindTexture(gl.TEXTURE_2D, this.histeq);
    gl.texImage2D(gl.TEXTURE_2D, 0, gl.R32F, table.length, 1, 0, gl.RED, gl.FLOAT, table);
    gl.activeTexture(gl.TEXTURE0);
  }

  /** Upload a width×height float32 tile covering `rect`. */
  upload(data: Float32Array, width: number, height: number, rect: [number, number, number, number]): GpuTile {
    const gl = this.gl;
    gl.activeTexture(gl.TEXTURE0);
    const texture = this.texture();
    gl.pixelStorei(gl.UNPACK_ALIGNMENT, 4);
    gl.texImage2D(gl.TEXTURE_2D, 0, gl.R32F, width, height, 0, gl.RED, gl.FLOAT, data);
    return { texture, rect };
  }

  release(tile: GpuTile): void {
    this.gl.deleteTexture(tile.texture);
  }

  /** Resize the drawing buffer to the element's size × devicePixelRatio. */
  resize(): { width: number; height: number; ratio: number } {
    const ratio = window.devicePixelRatio || 1;
    const w = Math.max(1, Math.round(this.canvas.clientWidth * ratio));
    const h = Math.max(1, Math.round(this.canvas.clientHeight * ratio));
    if (this.canvas.width !== w || this.canvas.height !== h) {
      this.canvas.width = w;
      this.canvas.height = h;
    }
    return { width: w, height: h, ratio };
  }

  /** Clear and draw `tiles` in order (coarse first, so finer ones cover them). */
  draw(tiles: readonly GpuTile[], s: DrawSettings, background: [number, number, number]): void {
    const gl = this.gl;
    const { width, height, ratio } = this.resize();
    gl.viewport(0, 0, width, height);
    gl.clearColor(background[0], background[1], background[2], 1);
    gl.clear(gl.COLOR_BUFFER_BIT);
    // biome-ignore lint/correctness/useHookAtTopLevel: WebGL useProgram, not a React hook
    gl.useProgram(this.program);
    gl.uniform4f(this.u.u_view!, s.cx, s.cy, s.zoom * ratio, 0);
    gl.uniform2f(this.u.u_canvas!, width, height);
    gl.uniform1f(this.u.u_vmin!, s.vmin);
    gl.uniform1f(this.u.u_vmax!, s.vmax);
    gl.uniform1f(this.u.u_a!, s.parameter);
    gl.uniform1i(this.u.u_scale!, SCALE_CODE[s.scale]);
    gl.uniform4f(this.u.u_nan!, background[0], background[1], background[2], 1);
    gl.activeTexture(gl.TEXTURE1);
    gl.bindTexture(gl.TEXTURE_2D, this.cmap);
    gl.activeTexture(gl.TEXTURE2);
    gl.bindTexture(gl.TEXTURE_2D, this.histeq);
    gl.activeTexture(gl.TEXTURE0);
    for (const t of tiles) {
      gl.bindTexture(gl.TEXTURE_2D, t.texture);
      gl.uniform4f(this.u.u_rect!, t.rect[0], t.rect[1], t.rect[2], t.rect[3]);
      gl.drawArrays(gl.TRIANGLE_STRIP, 0, 4);
    }
  }
}
