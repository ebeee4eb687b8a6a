// Every page runs one async check and publishes its outcome on window.__result for the driver to read.
export function publish(check) {
  check().then(
    (value) => {
      window.__result = { ok: true, ...value };
    },
    (error) => {
      window.__result = { ok: false, error: `${error?.message ?? error}` };
    },
  );
}
