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
