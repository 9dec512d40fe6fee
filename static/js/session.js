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
  // not script, so the strict CSP holds; format() (site.js) fills in their placeholders.
  const text = JSON.parse(document.getElementById("session-text").textContent);
  const { format } = window.acupressure;
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

  const session = {
    state: "ready",
    index: 0,
    phase: 0,
    elapsed: 0, // clock ms into the phase when last paused
    startAt: 0, // performance.now() at which the running phase began
    halfwayCued: false,
    spent: 0, // clock ms of the session so far, for the summary
    finished: new Set(),
    timer: 0,
    flashTimer: 0,
    audio: null,
    soundOn: true,
    wakeLock: null,
  };

  const step = () => steps[session.index];
  const phaseName = () => step().phases[session.phase];
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
    return session.state === "running" ? (performance.now() - session.startAt) * speed : session.elapsed;
  }

  function announce(message) {
    announcer.textContent = "";
    setTimeout(() => (announcer.textContent = message), 60); // so a repeat is read again
  }

  function stepAnnouncement() {
    const s = step();
    const side = SIDE[phaseName()] ? "_" + phaseName() + (s.phases.length > 1 ? "_first" : "_only") : "";
    const values = { number: session.index + 1, total: steps.length, label: s.label, time: duration(s.ms / 1000) };
    return format(text["step" + side], values);
  }

  function chime(notes) {
    if (!session.audio || !session.soundOn) return;
    try {
      if (session.audio.state === "suspended") session.audio.resume().catch(() => {});
      notes.forEach((frequency, n) => {
        const at = session.audio.currentTime + 0.02 + n * 0.22;
        const oscillator = session.audio.createOscillator();
        const gain = session.audio.createGain();
        oscillator.frequency.value = frequency;
        gain.gain.setValueAtTime(0.0001, at);
        gain.gain.exponentialRampToValueAtTime(0.12, at + 0.04);
        gain.gain.exponentialRampToValueAtTime(0.0001, at + 1.1);
        oscillator.connect(gain);
        gain.connect(session.audio.destination);
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
    clearTimeout(session.flashTimer);
    session.flashTimer = setTimeout(() => player.classList.remove("player--cue"), 1600);
  }

  // Sound starts from a click only, as browsers allow; nothing plays before one.
  function unlockAudio() {
    if (session.audio || !session.soundOn) return;
    try {
      session.audio = new (window.AudioContext || window.webkitAudioContext)();
    } catch (error) {
      session.audio = null;
    }
  }

  async function keepAwake(on) {
    try {
      if (on && !session.wakeLock && navigator.wakeLock) session.wakeLock = await navigator.wakeLock.request("screen");
      else if (!on && session.wakeLock) await session.wakeLock.release().then(() => (session.wakeLock = null));
    } catch (error) {
      session.wakeLock = null;
    }
  }

  function render() {
    const s = step();
    const done = phaseElapsed();
    const left = Math.ceil((s.ms - done) / 1000);
    items.forEach((item, n) => (item.hidden = n !== session.index));
    progress.textContent = format(text.progress, { number: session.index + 1, total: steps.length });
    stepsBar.value = session.index + 1;
    label.textContent = s.label;
    phaseLabel.textContent = (s.phases.length === 1 ? SIDE_ONLY : SIDE)[phaseName()];
    countdown.textContent = pad(Math.floor(left / 60)) + ":" + pad(left % 60);
    timeBar.value = Math.min(done / s.ms, 1);
    cue.hidden = !(s.pressRelease && done >= s.ms / 2 && done < cueEnd(s));
    toggleButton.textContent = { running: text.pause, paused: text.resume }[session.state] || text.start;
    hint.hidden = session.state !== "ready";
    painBefore.hidden = session.state !== "ready";
    Object.assign(root.dataset, { state: session.state, step: session.index + 1, phase: phaseName(), remaining: left });
  }

  function tick() {
    clearTimeout(session.timer);
    if (session.state !== "running") return;
    let done = phaseElapsed();
    while (done >= step().ms) {
      session.spent += step().ms;
      session.startAt += step().ms / speed; // the next phase starts when this one ended
      if (!nextPhase()) return;
      done = phaseElapsed();
    }
    const s = step();
    if (s.pressRelease && !session.halfwayCued && done >= s.ms / 2) {
      session.halfwayCued = true;
      chime([440]);
      announce(text.halfway);
    }
    render();
    // Wake up when something on screen next changes: a second, or the cue.
    const waits = [(s.ms - done) % 1000 || 1000, s.ms / 2 - done, cueEnd(s) - done].filter((ms) => ms > 0);
    session.timer = setTimeout(tick, Math.min(Math.max(Math.min(...waits) / speed, 15), 1000));
  }

  // The current phase ran out: on to the other side, the next step, or the end.
  function nextPhase() {
    flash();
    if (session.phase + 1 < step().phases.length) {
      session.phase += 1;
      session.elapsed = 0;
      session.halfwayCued = false;
      chime([523.25, 659.25]);
      announce(text[phaseName() + "_now"]);
      return true;
    }
    session.finished.add(session.index);
    if (session.index + 1 >= steps.length) return finish();
    chime([523.25, 659.25]);
    goTo(session.index + 1);
    return true;
  }

  function goTo(target) {
    session.index = target;
    session.phase = 0;
    session.elapsed = 0;
    session.halfwayCued = false;
    render();
    announce(stepAnnouncement());
  }

  // Back and Skip: the time spent so far counts, and the clock restarts from now.
  function jump(target) {
    if (session.state === "done") return;
    session.spent += Math.min(phaseElapsed(), step().ms);
    if (target >= steps.length) return finish();
    session.startAt = performance.now();
    goTo(Math.max(target, 0));
    tick();
  }

  function toggle() {
    if (session.state === "done") return;
    if (session.state === "running") {
      session.elapsed = phaseElapsed();
      session.state = "paused";
      clearTimeout(session.timer);
      keepAwake(false);
      render();
      return announce(text.paused);
    }
    unlockAudio();
    const first = session.state === "ready";
    // On a phone the timer sits below the title: bring it up once, at the start.
    if (first && matchMedia("(max-width: 959px)").matches) {
      const still = matchMedia("(prefers-reduced-motion: reduce)").matches;
      player.scrollIntoView({ block: "start", behavior: still ? "auto" : "smooth" });
    }
    session.startAt = performance.now() - session.elapsed / speed;
    session.state = "running";
    keepAwake(true);
    announce(first ? stepAnnouncement() : text.running);
    tick();
  }

  function finish() {
    clearTimeout(session.timer);
    session.state = "done";
    root.dataset.state = session.state;
    keepAwake(false);
    const count = session.finished.size;
    const values = { count, total: steps.length, time: duration(Math.round(session.spent / 1000)) };
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
    session.state = "ready";
    session.spent = 0;
    session.finished = new Set();
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
    else if (action === "back") jump(session.index - 1);
    else if (action === "skip") jump(session.index + 1);
    else if (action === "restart") restart();
    else if (action === "sound") {
      session.soundOn = !session.soundOn;
      button.setAttribute("aria-pressed", String(session.soundOn));
      unlockAudio();
    }
  });

  // Space pauses and resumes, unless a focused control wants it.
  document.addEventListener("keydown", (event) => {
    if (event.key !== " " || event.defaultPrevented || session.state === "done") return;
    if (event.target.closest && event.target.closest("a, button, input, select, textarea, summary")) return;
    event.preventDefault();
    toggle();
  });

  // A screen wake lock ends when the page is hidden; take it again on return.
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState !== "visible" || session.state !== "running") return;
    session.wakeLock = null;
    keepAwake(true);
    tick();
  });

  root.classList.add("session--live");
  player.hidden = false;
  render();
})();
