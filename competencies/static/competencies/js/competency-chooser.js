// "Add competencies": opens the competency chooser (several items may be ticked) and adds the chosen items as
// ticked checkboxes to the widget's list. Removing is plain HTML (untick), so it works without this file.
document.addEventListener('click', (event) => {
  const button = event.target.closest('[data-competency-chooser-add]');
  if (!button) return;
  event.preventDefault();
  const widget = button.closest('[data-competency-chooser]');
  const list = document.getElementById(button.dataset.target);
  const add = (item) => {
    if (list.querySelector(`input[value="${CSS.escape(String(item.id))}"]`)) return;
    const li = document.createElement('li');
    const label = document.createElement('label');
    const input = document.createElement('input');
    input.type = 'checkbox';
    input.name = widget.dataset.name;
    input.value = item.id;
    input.checked = true;
    label.append(input, ` ${item.title}`);
    li.append(label);
    list.append(li);
    const empty = widget.querySelector('[data-competency-chooser-empty]');
    if (empty) empty.remove();
  };
  // eslint-disable-next-line no-undef
  ModalWorkflow({
    url: button.dataset.chooserUrl,
    urlParams: { multiple: 1 },
    onload: window.CHOOSER_MODAL_ONLOAD_HANDLERS,
    responses: {
      chosen: (result) => (Array.isArray(result) ? result : [result]).forEach(add),
    },
  });
});
