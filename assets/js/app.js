// Progressive enhancement only: every page works without JavaScript.
import { initAll } from "./govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();

// Job progress: each element with data-job-status-url polls its job's JSON status and fills in the
// [data-job-field] elements inside it. When a job finishes, the page reloads to show the outcome. Without
// JavaScript the page has a plain "Refresh the page" link.
const POLL_MS = 1500;

function watch(element) {
  const url = element.getAttribute("data-job-status-url");
  const poll = async () => {
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      if (response.ok) {
        const job = await response.json();
        for (const [key, value] of Object.entries(job)) {
          for (const target of element.querySelectorAll(`[data-job-field="${key}"]`)) {
            const text = value === null || value === undefined ? "" : String(value);
            if (target.textContent !== text) target.textContent = text;
          }
        }
        if (job.finished) {
          window.location.reload();
          return;
        }
      }
    } catch (error) {
      // a network hiccup: try again on the next tick
    }
    window.setTimeout(poll, POLL_MS);
  };
  window.setTimeout(poll, POLL_MS);
}

for (const element of document.querySelectorAll("[data-job-status-url]")) {
  watch(element);
}

// A "Copy the link" button next to a read-only field holding a link (the invitation page).
for (const field of document.querySelectorAll("input.app-copy")) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "govuk-button govuk-button--secondary app-copy-button";
  button.textContent = "Copy the link";
  const status = document.createElement("p");
  status.className = "govuk-body govuk-!-margin-top-2";
  status.setAttribute("role", "status");
  button.addEventListener("click", async () => {
    field.select();
    try {
      await navigator.clipboard.writeText(field.value);
      status.textContent = "The link was copied.";
    } catch (error) {
      status.textContent = "Select the link and copy it.";
    }
  });
  field.insertAdjacentElement("afterend", status);
  field.insertAdjacentElement("afterend", button);
}

// Upload limits. A form with data-max-bytes does not send files that together exceed what the server takes in one
// request: it says so in the GOV.UK error pattern instead. Without JavaScript the server answers with its "file is
// too large" page, but a browser may show a dropped connection in its place, because the server stops reading a
// request that is too large.
const MB = 1024 * 1024;

function megabytes(bytes) {
  return `${Math.round((bytes / MB) * 10) / 10} MB`;
}

function errorSummary(message, href) {
  const summary = document.createElement("div");
  summary.className = "govuk-error-summary";
  summary.tabIndex = -1;
  const alert = document.createElement("div");
  alert.setAttribute("role", "alert");
  const title = document.createElement("h2");
  title.className = "govuk-error-summary__title";
  title.textContent = "There is a problem";
  const body = document.createElement("div");
  body.className = "govuk-error-summary__body";
  const list = document.createElement("ul");
  list.className = "govuk-list govuk-error-summary__list";
  const item = document.createElement("li");
  const link = document.createElement("a");
  link.href = href;
  link.textContent = message;
  item.append(link);
  list.append(item);
  body.append(list);
  alert.append(title, body);
  summary.append(alert);
  return summary;
}

function showSizeError(input, message) {
  // Reuse the field's error message when the server already showed one (it is out of date now).
  const id = `${input.id}-size-error`;
  let error = document.getElementById(`${input.id}-error`) || document.getElementById(id);
  if (!error) {
    error = document.createElement("p");
    error.id = id;
    error.className = "govuk-error-message";
    (input.closest(".govuk-drop-zone") || input).insertAdjacentElement("beforebegin", error);
    input.closest(".govuk-form-group")?.classList.add("govuk-form-group--error");
    input.classList.add("govuk-file-upload--error");
    input.setAttribute("aria-describedby", `${input.getAttribute("aria-describedby") || ""} ${id}`.trim());
  }
  const hidden = document.createElement("span");
  hidden.className = "govuk-visually-hidden";
  hidden.textContent = "Error:";
  error.replaceChildren(hidden, ` ${message}`);

  for (const old of document.querySelectorAll("main .govuk-error-summary")) old.remove();
  const summary = errorSummary(message, `#${input.id}`);
  const heading = document.querySelector("main h1");
  heading.insertAdjacentElement("beforebegin", summary);
  if (!document.title.startsWith("Error: ")) document.title = `Error: ${document.title}`;
  summary.focus();
}

for (const form of document.querySelectorAll("form[data-max-bytes]")) {
  const limit = Number(form.getAttribute("data-max-bytes"));
  form.addEventListener("submit", (event) => {
    const inputs = [...form.querySelectorAll("input[type=file]")];
    const files = inputs.flatMap((input) => [...(input.files || [])]);
    const total = files.reduce((sum, file) => sum + file.size, 0);
    if (!limit || total <= limit || inputs.length === 0) return;
    event.preventDefault();
    const message =
      files.length === 1
        ? `${files[0].name} is ${megabytes(total)}: Scrutineer takes up to ${megabytes(limit)} in one upload. ` +
          "Split the file, or export fewer rows, and try again."
        : `The ${files.length} files come to ${megabytes(total)}: Scrutineer takes up to ${megabytes(limit)} in ` +
          "one upload. Upload fewer files at a time, or split a large one.";
    showSizeError(inputs[0], message);
  });
}
