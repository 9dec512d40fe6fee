// Guided session: turns the step list of routines/session.html into a one-step-at-a-time
// walkthrough with a countdown. Data comes from data-* attributes only. ?speed=N (1-100)
// runs the clock N times faster for tests; the root reports data-state
// (ready|running|paused|done), data-step and data-phase (left|right|single).
(function () {
  "use strict";

  const root = document.querySelector("[data-session]");
  const player = root && root.querySelector("[data-player]");
  const items = root ? Array.from(root.querySelectorAll("[data-steps] > li")) : [];
  if (!player || !items.length) return;

  const el = (name) => root.querySelector("[data-" + name + "]");
  const [countdown, progress, stepsBar, timeBar, label, phaseLabel, cue, hint, summary, summaryText, announcer] = [
    "countdown", "progress", "steps-bar", "time-bar", "current-label", "phase-label", "cue", "hint",
    "summary", "summary-text", "announcer",
  ].map(el);
  const toggleButton = root.querySelector('[data-action="toggle"]');
  // The page's words, in its language (routines/templatetags/session_text.py): JSON data,
  // not script, so the strict CSP holds. format() fills in their %(name)s placeholders.
  const text = JSON.parse(document.getElementById("session-text").textContent);
  const format = (template, values) =>
    template.replace(/%\((\w+)\)s/g, (match, name) => (name in values ? String(values[name]) : match));
  // Pain before and after (routines/includes/pain_log_entry.html), kept in this browser only.
  // The log's own script, static/js/pain-log.js, is fetched on the first save rather than
  // with the page, which keeps the session's first load within its script budget; the page
  // names it (data-pain-log-src), so the service worker keeps it for offline sessions.
  let painLog = null;
  function loadPainLog() {
    if (!painLog) {
      painLog = new Promise((resolve, reject) => {
        const script = document.createElement("script");
        script.src = root.dataset.painLogSrc;
        script.onload = () => resolve(window.PainLog);
        script.onerror = () => {
          painLog = null; // the next save tries again
          reject();
        };
        document.head.appendChild(script);
      });
    }
    return painLog;
  }
  const painText = JSON.parse(document.getElementById("pain-log-text").textContent);
  const painBefore = root.querySelector('[data-pain-entry="before"]');
  const painForms = [
    [painBefore, toggleButton],
    [root.querySelector('[data-pain-entry="after"]'), summary.querySelector(".summary__actions a")],
  ].map(([box, next]) => painForm(box, next));

  // `next` takes the focus once the entry is saved or skipped. Returns { reset }.
  function painForm(box, next) {
    const form = box.querySelector("form");
    const error = box.querySelector("[data-pain-error]");
    const status = box.querySelector("[data-pain-status]");
    let saving = false;
    const done = () => {
      error.textContent = "";
      form.hidden = true;
      next.focus();
    };
    form.addEventListener("submit", (event) => {
      event.preventDefault(); // stays on the device: no submission, ever
      const pain = form.elements.pain.value;
      if (!pain) {
        error.textContent = painText.choose;
        form.elements.pain[0].focus();
        return;
      }
      if (saving) return; // a double click saves once
      saving = true;
      loadPainLog()
        .then(
          (log) => {
            try {
              log.add(root.dataset.painLogKey, box.dataset.painEntry, +pain, form.elements.note.value.trim());
            } catch (refused) {
              error.textContent = painText.not_saved;
              return;
            }
            status.textContent = format(painText["saved_" + box.dataset.painEntry], { pain });
            done();
          },
          () => (error.textContent = painText.not_loaded)
        )
        .finally(() => (saving = false));
    });
    box.querySelector("[data-pain-skip]").addEventListener("click", done);
    box.hidden = false;
    return {
      reset() {
        form.reset();
        form.hidden = false;
        error.textContent = status.textContent = "";
      },
    };
  }

  const speed = Math.min(Math.max(parseFloat(new URLSearchParams(location.search).get("speed")) || 1, 1), 100);
  const SIDE = { left: text.side_left, right: text.side_right, single: "" };
  const SIDE_ONLY = { left: text.side_left_only, right: text.side_right_only, single: "" };
  const steps = items.map((item) => ({
    ms: Math.max(1, parseInt(item.dataset.seconds, 10) || 0) * 1000,
    phases: item.dataset.sides === "both" ? ["left", "right"] : [item.dataset.sides || "single"],
    label: item.dataset.label,
    pressRelease: item.dataset.pressRelease === "true",
  }));

  let state = "ready";
  let index = 0;
  let phase = 0;
  let elapsed = 0; // clock ms into the phase when last paused
  let startAt = 0; // performance.now() at which the running phase began
  let halfwayCued = false;
  let spent = 0; // clock ms of the session so far, for the summary
  let finished = new Set();
  let timer = 0;
  let flashTimer = 0;
  let audio = null;
  let soundOn = true;
  let wakeLock = null;

  const step = () => steps[index];
  const phaseName = () => step().phases[phase];
  const cueEnd = (s) => s.ms / 2 + Math.min(5000, s.ms / 4);
  const pad = (n) => String(n).padStart(2, "0");

  function duration(seconds) {
    const minutes = Math.floor(seconds / 60);
    const rest = seconds % 60;
    if (!minutes || (minutes === 1 && rest)) return format(text.seconds, { seconds });
    if (rest) return format(text.minutes_seconds, { minutes, seconds: rest });
    return format(text.minutes, { minutes });
  }

  // Measured, never counted: a late or throttled timer cannot make the session drift.
  function phaseElapsed() {
    return state === "running" ? (performance.now() - startAt) * speed : elapsed;
  }

  function announce(message) {
    announcer.textContent = "";
    setTimeout(() => (announcer.textContent = message), 60); // so a repeat is read again
  }

  function stepAnnouncement() {
    const s = step();
    const side = SIDE[phaseName()] ? "_" + phaseName() + (s.phases.length > 1 ? "_first" : "_only") : "";
    const values = { number: index + 1, total: steps.length, label: s.label, time: duration(s.ms / 1000) };
    return format(text["step" + side], values);
  }

  function chime(notes) {
    if (!audio || !soundOn) return;
    try {
      if (audio.state === "suspended") audio.resume().catch(() => {});
      notes.forEach((frequency, n) => {
        const at = audio.currentTime + 0.02 + n * 0.22;
        const oscillator = audio.createOscillator();
        const gain = audio.createGain();
        oscillator.frequency.value = frequency;
        gain.gain.setValueAtTime(0.0001, at);
        gain.gain.exponentialRampToValueAtTime(0.12, at + 0.04);
        gain.gain.exponentialRampToValueAtTime(0.0001, at + 1.1);
        oscillator.connect(gain);
        gain.connect(audio.destination);
        oscillator.start(at);
        oscillator.stop(at + 1.2);
      });
    } catch (error) {
      // Sound is a nicety; the visual cue is always there.
    }
  }

  function flash() {
    player.classList.remove("player--cue");
    void player.offsetWidth; // restarts the animation
    player.classList.add("player--cue");
    clearTimeout(flashTimer);
    flashTimer = setTimeout(() => player.classList.remove("player--cue"), 1600);
  }

  // Sound starts from a click only, as browsers allow; nothing plays before one.
  function unlockAudio() {
    if (audio || !soundOn) return;
    try {
      audio = new (window.AudioContext || window.webkitAudioContext)();
    } catch (error) {
      audio = null;
    }
  }

  async function keepAwake(on) {
    try {
      if (on && !wakeLock && navigator.wakeLock) wakeLock = await navigator.wakeLock.request("screen");
      else if (!on && wakeLock) await wakeLock.release().then(() => (wakeLock = null));
    } catch (error) {
      wakeLock = null;
    }
  }

  function render() {
    const s = step();
    const done = phaseElapsed();
    const left = Math.ceil((s.ms - done) / 1000);
    items.forEach((item, n) => (item.hidden = n !== index));
    progress.textContent = format(text.progress, { number: index + 1, total: steps.length });
    stepsBar.value = index + 1;
    label.textContent = s.label;
    phaseLabel.textContent = (s.phases.length === 1 ? SIDE_ONLY : SIDE)[phaseName()];
    countdown.textContent = pad(Math.floor(left / 60)) + ":" + pad(left % 60);
    timeBar.value = Math.min(done / s.ms, 1);
    cue.hidden = !(s.pressRelease && done >= s.ms / 2 && done < cueEnd(s));
    toggleButton.textContent = { running: text.pause, paused: text.resume }[state] || text.start;
    hint.hidden = state !== "ready";
    painBefore.hidden = state !== "ready";
    Object.assign(root.dataset, { state, step: index + 1, phase: phaseName(), remaining: left });
  }

  function tick() {
    clearTimeout(timer);
    if (state !== "running") return;
    let done = phaseElapsed();
    while (done >= step().ms) {
      spent += step().ms;
      startAt += step().ms / speed; // the next phase starts when this one ended
      if (!nextPhase()) return;
      done = phaseElapsed();
    }
    const s = step();
    if (s.pressRelease && !halfwayCued && done >= s.ms / 2) {
      halfwayCued = true;
      chime([440]);
      announce(text.halfway);
    }
    render();
    // Wake up when something on screen next changes: a second, or the cue.
    const waits = [(s.ms - done) % 1000 || 1000, s.ms / 2 - done, cueEnd(s) - done].filter((ms) => ms > 0);
    timer = setTimeout(tick, Math.min(Math.max(Math.min(...waits) / speed, 15), 1000));
  }

  // The current phase ran out: on to the other side, the next step, or the end.
  function nextPhase() {
    flash();
    if (phase + 1 < step().phases.length) {
      phase += 1;
      elapsed = 0;
      halfwayCued = false;
      chime([523.25, 659.25]);
      announce(text[phaseName() + "_now"]);
      return true;
    }
    finished.add(index);
    if (index + 1 >= steps.length) return finish();
    chime([523.25, 659.25]);
    goTo(index + 1);
    return true;
  }

  function goTo(target) {
    index = target;
    phase = 0;
    elapsed = 0;
    halfwayCued = false;
    render();
    announce(stepAnnouncement());
  }

  // Back and Skip: the time spent so far counts, and the clock restarts from now.
  function jump(target) {
    if (state === "done") return;
    spent += Math.min(phaseElapsed(), step().ms);
    if (target >= steps.length) return finish();
    startAt = performance.now();
    goTo(Math.max(target, 0));
    tick();
  }

  function toggle() {
    if (state === "done") return;
    if (state === "running") {
      elapsed = phaseElapsed();
      state = "paused";
      clearTimeout(timer);
      keepAwake(false);
      render();
      return announce(text.paused);
    }
    unlockAudio();
    const first = state === "ready";
    // On a phone the timer sits below the title: bring it up once, at the start.
    if (first && matchMedia("(max-width: 959px)").matches) {
      const still = matchMedia("(prefers-reduced-motion: reduce)").matches;
      player.scrollIntoView({ block: "start", behavior: still ? "auto" : "smooth" });
    }
    startAt = performance.now() - elapsed / speed;
    state = "running";
    keepAwake(true);
    announce(first ? stepAnnouncement() : text.running);
    tick();
  }

  function finish() {
    clearTimeout(timer);
    state = "done";
    root.dataset.state = state;
    keepAwake(false);
    const count = finished.size;
    const values = { count, total: steps.length, time: duration(Math.round(spent / 1000)) };
    summaryText.textContent = count === steps.length
      ? format(text.finished[count === 1 ? 0 : 1], values)
      : format(text.finished_of, values);
    player.parentElement.hidden = true;
    summary.hidden = false;
    chime([523.25, 659.25, 783.99]);
    summary.focus();
    announce(format(text.complete, { summary: summaryText.textContent }));
    return false;
  }

  function restart() {
    state = "ready";
    spent = 0;
    finished = new Set();
    player.parentElement.hidden = false;
    summary.hidden = true;
    painForms.forEach((form) => form.reset());
    goTo(0);
    toggleButton.focus();
  }

  root.addEventListener("click", (event) => {
    const button = event.target.closest("[data-action]");
    const action = button && button.dataset.action;
    if (action === "toggle") toggle();
    else if (action === "back") jump(index - 1);
    else if (action === "skip") jump(index + 1);
    else if (action === "restart") restart();
    else if (action === "sound") {
      soundOn = !soundOn;
      button.setAttribute("aria-pressed", String(soundOn));
      unlockAudio();
    }
  });

  // Space pauses and resumes, unless a focused control wants it.
  document.addEventListener("keydown", (event) => {
    if (event.key !== " " || event.defaultPrevented || state === "done") return;
    if (event.target.closest && event.target.closest("a, button, input, select, textarea, summary")) return;
    event.preventDefault();
    toggle();
  });

  // A screen wake lock ends when the page is hidden; take it again on return.
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState !== "visible" || state !== "running") return;
    wakeLock = null;
    keepAwake(true);
    tick();
  });

  root.classList.add("session--live");
  player.hidden = false;
  render();
})();
