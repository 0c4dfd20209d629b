'use strict';
// The page of `vae serve`: everything it shows comes from TF Serving's REST API (predict) of the served model,
// plus /vae4j/models/NAME/explore for the card summary, the dimensions to slide and the reference scores.

const $ = (id) => document.getElementById(id);
const DRAW_HINT = 'Draw with the mouse (or drop a picture file on the canvas): its reconstruction and its score'
  + ' appear, and where the score falls among the reference pictures\'.';
const state = { model: null, shape: [28, 28, 1], latent: [], decoding: false, decodeAgain: false, scoreTimer: 0 };

async function api(path, body) {
  const init = body === undefined ? {} : {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) };
  const response = await fetch(path, init);
  const json = await response.json();
  if (!response.ok) {
    throw new Error(json.error || response.statusText);
  }
  return json;
}

function predict(signature, inputs) {
  return api('/v1/models/' + encodeURIComponent(state.model.name) + ':predict',
    { signature_name: signature, inputs: inputs });
}

function say(text) {
  $('status').textContent = text;
}

function kind() {
  return state.model.conditioning.kind;
}

function masked() {
  return state.model.conditioning.masked;
}

/** Draws one image ([H][W][C] floats in [0, 1]) onto a canvas, scaled without smoothing. */
function paint(canvas, image) {
  const [h, w, c] = state.shape;
  const small = document.createElement('canvas');
  small.width = w;
  small.height = h;
  const ctx = small.getContext('2d');
  const data = ctx.createImageData(w, h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const v = image[y][x];
      const i = 4 * (y * w + x);
      for (let k = 0; k < 3; k++) {
        data.data[i + k] = Math.round(255 * Math.min(1, Math.max(0, v[c === 1 ? 0 : k])));
      }
      data.data[i + 3] = 255;
    }
  }
  ctx.putImageData(data, 0, 0);
  const out = canvas.getContext('2d');
  out.imageSmoothingEnabled = false;
  out.drawImage(small, 0, 0, canvas.width, canvas.height);
}

function grid(container, images, size) {
  container.replaceChildren();
  for (const image of images) {
    const canvas = document.createElement('canvas');
    canvas.width = size;
    canvas.height = size;
    paint(canvas, image);
    container.appendChild(canvas);
  }
}

/** The drawing canvas as the model's input: [H][W][C] floats in [0, 1]. */
function drawnImage() {
  const [h, w, c] = state.shape;
  const small = document.createElement('canvas');
  small.width = w;
  small.height = h;
  const ctx = small.getContext('2d');
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage($('canvas'), 0, 0, w, h);
  const pixels = ctx.getImageData(0, 0, w, h).data;
  const image = [];
  for (let y = 0; y < h; y++) {
    const row = [];
    for (let x = 0; x < w; x++) {
      const i = 4 * (y * w + x);
      row.push(c === 1 ? [(pixels[i] + pixels[i + 1] + pixels[i + 2]) / 765]
        : [pixels[i] / 255, pixels[i + 1] / 255, pixels[i + 2] / 255]);
    }
    image.push(row);
  }
  return image;
}

/** A random-mask model's mask for the chosen region (1 where observed), as vae4j's Observation draws it. */
function maskImage() {
  const [h, w, c] = state.shape;
  const region = $('mask').value;
  const side = Math.floor(Math.min(h, w) / 2);
  const top = Math.floor((h - side) / 2);
  const left = Math.floor((w - side) / 2);
  const mask = [];
  for (let y = 0; y < h; y++) {
    const row = [];
    for (let x = 0; x < w; x++) {
      let seen;
      if (region === 'left-half') {
        seen = x < Math.floor(w / 2);
      } else if (region === 'top-half') {
        seen = y < Math.floor(h / 2);
      } else if (region === 'middle-column') {
        seen = x === Math.floor(w / 2);
      } else {
        seen = y >= top && y < top + side && x >= left && x < left + side;
      }
      row.push(new Array(c).fill(seen ? 1 : 0));
    }
    mask.push(row);
  }
  return mask;
}

function repeat(value, n) {
  return new Array(n).fill(value);
}

/** The inputs that go with n images or codes: a label, or (partial-input models) the drawing and its mask. */
function given(n, withCondition) {
  const inputs = {};
  if (kind() === 'label') {
    inputs.label = repeat(Number($('label').value), n);
  }
  if (kind() === 'partial' && withCondition) {
    inputs.condition = repeat(drawnImage(), n);
  }
  if (masked()) {
    inputs.mask = repeat(maskImage(), n);
  }
  return inputs;
}

async function sample() {
  const seed = Math.max(0, Math.floor(Number($('seed').value) || 0));
  const inputs = Object.assign({ seed: seed }, given(16, true));
  if (kind() === 'none') {
    inputs.count = 16;
  }
  try {
    const out = await predict('sample', inputs);
    grid($('samples'), out.outputs.images, 56);
    say('');
  } catch (e) {
    say(e.message);
  }
}

/** Decodes the sliders' code; a move during a call is answered by one more call when it returns. */
async function decode() {
  if (state.decoding) {
    state.decodeAgain = true;
    return;
  }
  state.decoding = true;
  const started = performance.now();
  try {
    const out = await predict('decode', Object.assign({ latent: [state.latent] }, given(1, true)));
    paint($('decoded'), out.outputs[0]);
    const ms = performance.now() - started;
    $('decode-time').textContent = 'decoded in ' + ms.toFixed(0) + ' ms';
    $('decoded').dataset.ms = ms.toFixed(1);
    $('decoded').dataset.count = String(Number($('decoded').dataset.count || 0) + 1);
  } catch (e) {
    say(e.message);
  } finally {
    state.decoding = false;
    if (state.decodeAgain) {
      state.decodeAgain = false;
      decode();
    }
  }
}

function buildSliders() {
  const box = $('sliders');
  box.replaceChildren();
  const dims = state.model.dimensions;
  const z = state.model.latent_dim;
  state.latent = new Array(z).fill(0);
  $('latent-hint').textContent = z === 2 ? 'Move on the pad: its position is the code z, decoded as you go.'
    : 'The ' + dims.length + ' of ' + z + ' dimensions the encoder uses most (largest mean KL); the others stay 0.';
  $('pad').hidden = z !== 2;
  for (const dim of dims) {
    const label = document.createElement('label');
    const name = document.createElement('span');
    name.textContent = 'z' + dim.index + (dim.kl === undefined ? '' : ' (' + dim.kl.toFixed(1) + ')');
    const slider = document.createElement('input');
    slider.type = 'range';
    slider.min = '-3';
    slider.max = '3';
    slider.step = '0.05';
    slider.value = '0';
    slider.id = 'z' + dim.index;
    slider.className = 'slider';
    const value = document.createElement('span');
    value.textContent = '0.00';
    slider.addEventListener('input', () => {
      state.latent[dim.index] = Number(slider.value);
      value.textContent = Number(slider.value).toFixed(2);
      decode();
    });
    label.append(name, slider, value);
    box.appendChild(label);
  }
}

function padMove(event) {
  const pad = $('pad');
  const rect = pad.getBoundingClientRect();
  const x = (event.clientX - rect.left) / rect.width * 6 - 3;
  const y = 3 - (event.clientY - rect.top) / rect.height * 6;
  state.latent[0] = x;
  state.latent[1] = y;
  const ctx = pad.getContext('2d');
  ctx.clearRect(0, 0, pad.width, pad.height);
  ctx.fillStyle = '#c62828';
  ctx.beginPath();
  ctx.arc((x + 3) / 6 * pad.width, (3 - y) / 6 * pad.height, 5, 0, 2 * Math.PI);
  ctx.fill();
  decode();
}

function percentileText(score) {
  const ref = state.model.reference;
  if (!ref) {
    return 'no reference pictures for this model';
  }
  const below = ref.scores.filter((s) => s < score).length;
  const pct = 100 * below / ref.scores.length;
  const verdict = pct < 1 ? 'unusual: lower than every reference picture but ' + below
    : pct < 5 ? 'rare among the reference pictures' : 'typical';
  return 'scores higher than ' + pct.toFixed(1) + '% of ' + ref.source + ' (' + verdict + ')';
}

async function scoreDrawing() {
  const image = drawnImage();
  try {
    if (kind() === 'partial') {
      await complete();
      return;
    }
    const inputs = Object.assign({ images: [image] }, given(1, false));
    const [rec, sc] = await Promise.all([predict('reconstruct', inputs), predict('score', inputs)]);
    paint($('reconstruction'), rec.outputs[0]);
    const o = sc.outputs;
    const value = o.elbo !== undefined ? o.elbo[0] : -o.loss[0];
    $('score').textContent = o.elbo !== undefined ? 'ELBO ' + value.toFixed(1) + ' nats'
      : 'loss ' + o.loss[0].toFixed(3);
    $('score').dataset.value = String(value);
    $('percentile').textContent = percentileText(value);
    say('');
  } catch (e) {
    say(e.message);
  }
}

async function complete() {
  const seed = Math.max(0, Math.floor(Number($('seed').value) || 0));
  try {
    const out = await predict('sample', Object.assign({ seed: seed }, given(6, true)));
    grid($('completions'), out.outputs.images, 84);
    say('');
  } catch (e) {
    say(e.message);
  }
}

function scheduleScore() {
  clearTimeout(state.scoreTimer);
  state.scoreTimer = setTimeout(scoreDrawing, 150);
}

function setUpCanvas() {
  const canvas = $('canvas');
  const ctx = canvas.getContext('2d');
  let drawing = false;
  const at = (e) => {
    const r = canvas.getBoundingClientRect();
    return [(e.clientX - r.left) * canvas.width / r.width, (e.clientY - r.top) * canvas.height / r.height];
  };
  canvas.addEventListener('pointerdown', (e) => {
    drawing = true;
    canvas.setPointerCapture(e.pointerId);
    ctx.strokeStyle = '#fff';
    ctx.lineWidth = canvas.width / 14;
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    ctx.beginPath();
    ctx.moveTo(...at(e));
    ctx.lineTo(...at(e));
    ctx.stroke();
  });
  canvas.addEventListener('pointermove', (e) => {
    if (drawing) {
      ctx.lineTo(...at(e));
      ctx.stroke();
    }
  });
  const end = () => {
    if (drawing) {
      drawing = false;
      scheduleScore();
    }
  };
  canvas.addEventListener('pointerup', end);
  canvas.addEventListener('pointercancel', end);
  canvas.addEventListener('dragover', (e) => e.preventDefault());
  canvas.addEventListener('drop', async (e) => {
    e.preventDefault();
    const file = e.dataTransfer.files[0];
    if (!file) {
      return;
    }
    try {
      const bitmap = await createImageBitmap(file);
      clearCanvas();
      const scale = Math.min(canvas.width / bitmap.width, canvas.height / bitmap.height);
      const w = bitmap.width * scale;
      const h = bitmap.height * scale;
      ctx.drawImage(bitmap, (canvas.width - w) / 2, (canvas.height - h) / 2, w, h);
      scheduleScore();
    } catch (err) {
      say('that file is no picture this browser can read');
    }
  });
  $('clear-button').addEventListener('click', () => {
    clearCanvas();
    $('score').textContent = '\u00a0';
    $('percentile').textContent = '\u00a0';
  });
}

function clearCanvas() {
  const canvas = $('canvas');
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#000';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
}

function showCard() {
  const m = state.model;
  const rows = [['model', m.name + ', version ' + m.version], ['architecture', m.architecture],
    ['image', m.image_shape.join(' x ')], ['latent size', String(m.latent_dim)], ['likelihood', m.likelihood],
    ['trained on', m.dataset], ['parameters', Number(m.parameters).toLocaleString('en')]];
  const c = m.conditioning;
  rows.push(['conditioned on', c.kind === 'label' ? 'a label of ' + c.classes + ' classes'
    : c.kind === 'partial' ? 'observed pixels (' + c.observe + ')' + (c.regressor ? ', regressor' : '')
      : 'nothing']);
  const metrics = m.metrics || {};
  if (metrics.test_elbo !== undefined && metrics.test_elbo !== null) {
    rows.push(['test ELBO', metrics.test_elbo.toFixed(2) + ' nats']);
  }
  if (metrics.test_log_likelihood !== undefined && metrics.test_log_likelihood !== null) {
    rows.push(['test log p(x)', metrics.test_log_likelihood.toFixed(2) + ' nats (K = '
      + (metrics.test_importance_samples || '?') + ')']);
  }
  const dl = $('card');
  dl.replaceChildren();
  for (const [k, v] of rows) {
    const dt = document.createElement('dt');
    dt.textContent = k;
    const dd = document.createElement('dd');
    dd.textContent = v;
    dl.append(dt, dd);
  }
}

async function load(name) {
  document.body.dataset.ready = 'false';
  say('loading ' + name + '...');
  state.model = await api('/vae4j/models/' + encodeURIComponent(name) + '/explore');
  state.shape = state.model.image_shape;
  showCard();
  const c = state.model.conditioning;
  $('label-section').hidden = c.kind !== 'label';
  if (c.kind === 'label') {
    $('label').replaceChildren(...Array.from({ length: c.classes }, (_, i) => new Option(String(i), String(i))));
  }
  const partial = c.kind === 'partial';
  $('sample-section').hidden = partial;
  $('completion-box').hidden = !partial;
  $('reconstruction-figure').hidden = partial;
  $('score-box').hidden = partial;
  $('mask-choice').hidden = !c.masked;
  if (c.masked) {
    $('mask').replaceChildren(...['left-half', 'top-half', 'center-square', 'middle-column']
      .map((r) => new Option(r, r)));
  }
  $('draw-title').textContent = partial ? 'Draw the observed part' : 'Draw or drop a picture';
  $('draw-hint').textContent = partial ? 'Draw (or drop a picture): the model reads the ' + (c.masked
    ? 'region chosen below' : c.observe) + ' of it and completes the rest, several times.'
    : DRAW_HINT;
  clearCanvas();
  buildSliders();
  decode();
  if (!partial) {
    sample();
  }
  say('');
  document.body.dataset.ready = 'true';
}

async function main() {
  setUpCanvas();
  $('sample-button').addEventListener('click', sample);
  $('complete-button').addEventListener('click', complete);
  $('label').addEventListener('change', () => { sample(); decode(); });
  $('mask').addEventListener('change', scheduleScore);
  const pad = $('pad');
  let dragging = false;
  pad.addEventListener('pointerdown', (e) => { dragging = true; pad.setPointerCapture(e.pointerId); padMove(e); });
  pad.addEventListener('pointermove', (e) => { if (dragging) { padMove(e); } });
  pad.addEventListener('pointerup', () => { dragging = false; });
  try {
    const list = await api('/vae4j/models');
    const select = $('model');
    select.replaceChildren(...list.models.map((m) => new Option(m, m)));
    select.addEventListener('change', () => load(select.value).catch((e) => say(e.message)));
    await load(list.models[0]);
  } catch (e) {
    say(e.message);
  }
}

main();
