// A form generated from a tool's JSON Schema: text, number and boolean inputs, selects for enums,
// nested fieldsets for objects, add/remove lists for arrays, a variant picker for unions
// (oneOf/anyOf, or several types), required markers, and a raw-JSON field for whatever the form
// cannot express (tuples, `allOf`, free-form maps, very deep schemas). The whole arguments object
// can also be edited as raw JSON. `read()` returns the arguments or the first problem and where.
import { clear, h } from './dom.js';
import { resolveRef, typesOf } from './schema-tools.js';
import { typeLabel } from './schema-view.js';

const MAX_DEPTH = 8;

class FieldError extends Error {
  constructor(path, message) {
    super(`${path || '(arguments)'}: ${message}`);
    this.path = path;
  }
}

/** `{ element, read() → { ok: true, value } | { ok: false, error, path } }`. */
export function createSchemaForm(schema) {
  const root = schema && typeof schema === 'object' ? schema : {};
  const resolved = resolveRef(root, root);
  const expressible = typesOf(resolved).includes('object') || resolved.properties !== undefined;
  const form = expressible ? objectBody(resolved, root, '', 0) : undefined;
  const raw = h('textarea', {
    class: 'raw-json',
    rows: 10,
    spellcheck: 'false',
    'aria-label': 'arguments as JSON',
    'data-path': '(raw)',
  });
  const rawWrap = h('div', { class: 'raw-wrap' }, raw);
  let mode = form ? 'form' : 'raw';
  const toggle = h('button', { type: 'button', class: 'small link', 'data-action': 'toggle-raw' });
  const body = h('div', { class: 'form-body' });
  const render = () => {
    clear(body);
    body.append(mode === 'form' ? form.element : rawWrap);
    toggle.textContent =
      mode === 'form'
        ? 'edit as raw JSON'
        : form
          ? 'back to the form'
          : 'raw JSON (the form cannot show this schema)';
    toggle.disabled = !form;
  };
  toggle.addEventListener('click', () => {
    if (!form) return;
    if (mode === 'form') {
      const current = safeRead(form);
      raw.value = JSON.stringify(current ?? {}, null, 2);
      mode = 'raw';
    } else {
      try {
        const value = raw.value.trim() === '' ? {} : JSON.parse(raw.value);
        form.write(value);
        mode = 'form';
      } catch (error) {
        raw.setCustomValidity(String(error.message));
        raw.reportValidity();
        return;
      }
    }
    render();
  });
  if (!form) raw.value = '{}';
  render();
  return {
    element: h('div', { class: 'schema-form' }, h('div', { class: 'form-tools' }, toggle), body),
    read() {
      try {
        if (mode === 'raw') {
          const text = raw.value.trim();
          const value = text === '' ? {} : JSON.parse(text);
          if (typeof value !== 'object' || value === null || Array.isArray(value))
            throw new FieldError('', 'must be a JSON object');
          return { ok: true, value };
        }
        return { ok: true, value: form.read() ?? {} };
      } catch (error) {
        return { ok: false, error: error.message, path: error.path ?? '' };
      }
    },
  };
}

function safeRead(field) {
  try {
    return field.read();
  } catch {
    return undefined;
  }
}

/** The fields of an object schema, without a fieldset of their own (the form's top level). */
function objectBody(schema, root, path, depth) {
  const required = new Set(Array.isArray(schema.required) ? schema.required : []);
  const entries = Object.entries(schema.properties ?? {});
  const fields = entries.map(([name, property]) => [
    name,
    field(property, root, {
      path: join(path, name),
      label: name,
      required: required.has(name),
      depth: depth + 1,
    }),
  ]);
  const extra =
    schema.properties === undefined && schema.additionalProperties !== false
      ? jsonField({ path, label: 'properties', required: false, hint: 'object' })
      : undefined;
  const element = h(
    'div',
    { class: 'object-fields' },
    fields.length === 0 && !extra ? h('p', { class: 'muted' }, 'No arguments.') : undefined,
    fields.map(([, child]) => child.element),
    extra?.element,
  );
  return {
    element,
    read() {
      if (extra) return extra.read();
      const value = {};
      for (const [name, child] of fields) {
        const item = child.read();
        if (item !== undefined) value[name] = item;
      }
      return value;
    },
    write(value) {
      const source = value && typeof value === 'object' && !Array.isArray(value) ? value : {};
      if (extra) return extra.write(source);
      for (const [name, child] of fields) child.write(source[name]);
    },
  };
}

function field(rawSchema, root, options) {
  const schema = resolveRef(rawSchema, root);
  if (options.depth > MAX_DEPTH || schema === true || schema === undefined || schema === null)
    return jsonField({ ...options, hint: 'any JSON' });
  if (schema === false) return jsonField({ ...options, hint: 'never valid' });
  const withSchema = { ...options, schema, root };
  if (schema.const !== undefined) return constField(withSchema);
  if (Array.isArray(schema.enum)) return enumField(withSchema);
  const union = schema.oneOf ?? schema.anyOf;
  if (Array.isArray(union) && union.length > 0)
    return unionField(
      withSchema,
      union.map((variant) => ({ ...omitUnion(schema), ...resolveRef(variant, root) })),
    );
  const types = typesOf(schema);
  const real = types.filter((type) => type !== 'null');
  if (real.length > 1)
    return unionField(
      withSchema,
      real.map((type) => ({ ...schema, type })),
    );
  const type = real[0];
  if (type === 'string') return textField(withSchema);
  if (type === 'number' || type === 'integer') return numberField(withSchema, type);
  if (type === 'boolean') return booleanField(withSchema);
  if (type === 'object' && schema.properties) return objectField(withSchema);
  if (
    type === 'array' &&
    schema.items &&
    typeof schema.items === 'object' &&
    !Array.isArray(schema.items) &&
    !schema.prefixItems
  )
    return arrayField(withSchema);
  return jsonField({ ...withSchema, hint: typeLabel(schema, root) });
}

function omitUnion(schema) {
  const { oneOf, anyOf, ...rest } = schema;
  return rest;
}

function join(path, name) {
  return path === '' ? name : `${path}.${name}`;
}

function labelFor(options, control) {
  const id = `f-${Math.random().toString(36).slice(2, 10)}`;
  control.id = id;
  return h(
    'label',
    { for: id },
    h('span', { class: 'field-name' }, options.label),
    options.required
      ? h('span', { class: 'required', title: 'required', 'aria-label': 'required' }, '*')
      : undefined,
    options.schema
      ? h('span', { class: 'type' }, ` ${typeLabel(options.schema, options.root)}`)
      : options.hint
        ? h('span', { class: 'type' }, ` ${options.hint}`)
        : undefined,
  );
}

function wrap(options, control, extra) {
  const description = options.schema?.description;
  return h(
    'div',
    { class: `field${options.required ? ' is-required' : ''}`, 'data-path': options.path },
    labelFor(options, control),
    control,
    extra,
    description ? h('div', { class: 'hint' }, description) : undefined,
  );
}

function withDefault(fieldObject, schema) {
  if (schema?.default !== undefined) fieldObject.write(schema.default);
  return fieldObject;
}

function textField(options) {
  const { schema } = options;
  const long =
    (schema.maxLength ?? 0) > 200 || schema.format === 'textarea' || schema.contentMediaType !== undefined;
  const control = long
    ? h('textarea', { rows: 3 })
    : h('input', {
        type: 'text',
        placeholder: schema.format ?? (schema.examples?.[0] !== undefined ? String(schema.examples[0]) : ''),
      });
  const nullable = typesOf(schema).includes('null');
  return withDefault(
    {
      element: wrap(options, control),
      read() {
        if (control.value === '') return options.required ? (nullable ? null : '') : undefined;
        return control.value;
      },
      write(value) {
        control.value = value === undefined || value === null ? '' : String(value);
      },
    },
    schema,
  );
}

function numberField(options, type) {
  const { schema } = options;
  const control = h('input', {
    type: 'number',
    step: type === 'integer' ? '1' : 'any',
    min: schema.minimum,
    max: schema.maximum,
  });
  return withDefault(
    {
      element: wrap(options, control),
      read() {
        const text = control.value.trim();
        if (text === '') {
          // A half-typed number ("1e") reads as empty; say so rather than drop it.
          if (control.validity.badInput) throw new FieldError(options.path, 'is not a number');
          return undefined;
        }
        const value = Number(text);
        if (!Number.isFinite(value)) throw new FieldError(options.path, 'is not a number');
        if (type === 'integer' && !Number.isInteger(value))
          throw new FieldError(options.path, 'must be a whole number');
        return value;
      },
      write(value) {
        control.value = typeof value === 'number' ? String(value) : '';
      },
    },
    schema,
  );
}

function booleanField(options) {
  const { schema } = options;
  if (options.required) {
    const control = h('input', { type: 'checkbox' });
    return withDefault(
      {
        element: wrap(options, control),
        read: () => control.checked,
        write(value) {
          control.checked = value === true;
        },
      },
      schema,
    );
  }
  const control = h(
    'select',
    {},
    h('option', { value: '' }, '(not set)'),
    h('option', { value: 'true' }, 'true'),
    h('option', { value: 'false' }, 'false'),
  );
  return withDefault(
    {
      element: wrap(options, control),
      read: () => (control.value === '' ? undefined : control.value === 'true'),
      write(value) {
        control.value = value === true ? 'true' : value === false ? 'false' : '';
      },
    },
    schema,
  );
}

function enumField(options) {
  const values = options.schema.enum;
  const control = h(
    'select',
    {},
    options.required ? undefined : h('option', { value: '' }, '(not set)'),
    values.map((value, index) =>
      h('option', { value: String(index) }, typeof value === 'string' ? value : JSON.stringify(value)),
    ),
  );
  return withDefault(
    {
      element: wrap(options, control),
      read: () => (control.value === '' ? undefined : values[Number(control.value)]),
      write(value) {
        const index = values.findIndex((candidate) => JSON.stringify(candidate) === JSON.stringify(value));
        control.value = index === -1 ? (options.required ? '0' : '') : String(index);
      },
    },
    options.schema,
  );
}

function constField(options) {
  const control = h('output', {}, JSON.stringify(options.schema.const));
  return {
    element: wrap(options, control),
    read: () => (options.required ? options.schema.const : undefined),
    write() {},
  };
}

function objectField(options) {
  const body = objectBody(options.schema, options.root, options.path, options.depth);
  const include = options.required
    ? undefined
    : h('input', { type: 'checkbox', 'aria-label': `include ${options.label}` });
  const legend = h(
    'legend',
    {},
    include,
    h('span', { class: 'field-name' }, options.label),
    options.required
      ? h('span', { class: 'required', title: 'required', 'aria-label': 'required' }, '*')
      : undefined,
    h('span', { class: 'type' }, ` ${typeLabel(options.schema, options.root)}`),
  );
  const element = h(
    'fieldset',
    { class: 'field object', 'data-path': options.path },
    legend,
    options.schema.description ? h('div', { class: 'hint' }, options.schema.description) : undefined,
    body.element,
  );
  if (include) {
    // Optional objects are left out unless ticked (or something inside them is filled in).
    const sync = () => element.classList.toggle('excluded', !include.checked);
    include.addEventListener('change', sync);
    body.element.addEventListener('input', () => {
      include.checked = true;
      sync();
    });
    sync();
  }
  return {
    element,
    read() {
      if (include && !include.checked) return undefined;
      return body.read();
    },
    write(value) {
      if (include) {
        include.checked = value !== undefined && value !== null;
        element.classList.toggle('excluded', !include.checked);
      }
      body.write(value);
    },
  };
}

function arrayField(options) {
  const { schema, root } = options;
  const items = [];
  const list = h('ol', { class: 'array-items' });
  const addItem = (value) => {
    const index = items.length;
    const child = field(schema.items, root, {
      path: `${options.path}[${index}]`,
      label: `item ${index + 1}`,
      required: true,
      depth: options.depth + 1,
    });
    if (value !== undefined) child.write(value);
    const remove = h(
      'button',
      { type: 'button', class: 'small link', 'data-action': 'remove-item' },
      'remove',
    );
    const row = h('li', {}, child.element, remove);
    const entry = { child, row };
    remove.addEventListener('click', () => {
      items.splice(items.indexOf(entry), 1);
      row.remove();
    });
    items.push(entry);
    list.append(row);
  };
  const add = h('button', { type: 'button', class: 'small', 'data-action': 'add-item' }, '+ add item');
  add.addEventListener('click', () => addItem(undefined));
  const element = h(
    'fieldset',
    { class: 'field array', 'data-path': options.path },
    h(
      'legend',
      {},
      h('span', { class: 'field-name' }, options.label),
      options.required
        ? h('span', { class: 'required', title: 'required', 'aria-label': 'required' }, '*')
        : undefined,
      h('span', { class: 'type' }, ` ${typeLabel(schema, root)}`),
    ),
    schema.description ? h('div', { class: 'hint' }, schema.description) : undefined,
    list,
    add,
  );
  const result = {
    element,
    read() {
      const values = items.map((entry) => entry.child.read()).filter((value) => value !== undefined);
      if (values.length === 0 && !options.required) return undefined;
      return values;
    },
    write(value) {
      for (const entry of [...items]) entry.row.remove();
      items.length = 0;
      if (Array.isArray(value)) for (const item of value) addItem(item);
    },
  };
  return withDefault(result, schema);
}

function unionField(options, variants) {
  const { root } = options;
  const picker = h(
    'select',
    { class: 'variant', 'aria-label': `${options.label}: which kind` },
    options.required ? undefined : h('option', { value: '' }, '(not set)'),
    variants.map((variant, index) =>
      h('option', { value: String(index) }, variant.title ?? typeLabel(variant, root)),
    ),
  );
  const slot = h('div', { class: 'variant-body' });
  let current;
  const choose = () => {
    clear(slot);
    current =
      picker.value === ''
        ? undefined
        : field(variants[Number(picker.value)], root, {
            ...options,
            schema: undefined,
            label: 'value',
            required: true,
            depth: options.depth + 1,
          });
    if (current) slot.append(current.element);
  };
  picker.addEventListener('change', choose);
  choose();
  const element = h(
    'div',
    { class: `field union${options.required ? ' is-required' : ''}`, 'data-path': options.path },
    labelFor({ ...options, schema: undefined, hint: 'one of' }, picker),
    picker,
    options.schema?.description ? h('div', { class: 'hint' }, options.schema.description) : undefined,
    slot,
  );
  return {
    element,
    read: () => current?.read(),
    write(value) {
      if (value === undefined) {
        picker.value = options.required ? '0' : '';
        choose();
        return;
      }
      const index = variants.findIndex((variant) => matchesType(variant, value));
      picker.value = String(index === -1 ? 0 : index);
      choose();
      current?.write(value);
    },
  };
}

function matchesType(schema, value) {
  if (schema.const !== undefined) return JSON.stringify(schema.const) === JSON.stringify(value);
  if (Array.isArray(schema.enum))
    return schema.enum.some((candidate) => JSON.stringify(candidate) === JSON.stringify(value));
  const types = typesOf(schema);
  if (types.length === 0) return true;
  const actual = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
  return types.some((type) => type === actual || (type === 'integer' && Number.isInteger(value)));
}

function jsonField(options) {
  const control = h('textarea', { class: 'json', rows: 3, spellcheck: 'false', placeholder: 'JSON' });
  return withDefault(
    {
      element: wrap(
        { ...options, schema: options.schema && options.root ? options.schema : undefined },
        control,
        h('div', { class: 'hint' }, 'raw JSON'),
      ),
      read() {
        const text = control.value.trim();
        if (text === '') return undefined;
        try {
          return JSON.parse(text);
        } catch (error) {
          throw new FieldError(options.path, `is not valid JSON (${error.message})`);
        }
      },
      write(value) {
        control.value = value === undefined ? '' : JSON.stringify(value, null, 2);
      },
    },
    options.schema,
  );
}
