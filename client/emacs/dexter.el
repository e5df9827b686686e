;;; dexter.el --- Explain diagnostics with language models through Dexter LS -*- lexical-binding: t; -*-

;; Copyright (C) 2026 The Dexter LS authors

;; Author: The Dexter LS authors
;; Version: 0.1.0
;; Package-Requires: ((emacs "27.1"))
;; Keywords: tools, languages, convenience
;; URL: https://github.com/dexter-ls/dexter-ls

;; This file is not part of GNU Emacs.

;;; Commentary:

;; Dexter LS is a language server that explains the diagnostics other
;; tools show (compiler errors, linter findings, type errors) with
;; language models, falling back to an offline reference.
;;
;; This package connects it to Emacs through lsp-mode (as an add-on
;; client, beside pyright, ruff or rust-analyzer) or eglot, and adds:
;;
;; - an explanation buffer that fills in as the answer streams in;
;; - `dexter-explain-at-point' for the diagnostic under point;
;; - `dexter-select-model' to switch models with `completing-read';
;; - forwarding of flymake and flycheck diagnostics to the server, so
;;   it can explain (and offer code actions for) other tools' findings.
;;
;; lsp-mode: (require 'dexter) then M-x lsp in a buffer; Dexter starts
;; beside the buffer's main server.  eglot: see `dexter-eglot-setup'.
;; client/emacs/README.md has configurations to paste.

;;; Code:

(require 'cl-lib)
(require 'subr-x)
(require 'dexter-view)
(require 'dexter-diagnostics)

(defgroup dexter nil
  "Explain diagnostics with language models through Dexter LS."
  :group 'tools
  :prefix "dexter-")

(defcustom dexter-server-command '("dexter-ls")
  "Command line that starts the Dexter language server (over stdio)."
  :type '(repeat string))

(defcustom dexter-model nil
  "Model to ask first, as \"provider/model\" (e.g. \"ollama/qwen2.5-coder:7b\").
nil leaves the choice to the server (its default or the last model
chosen with `dexter-select-model')."
  :type '(choice (const :tag "Server default" nil) string))

(defcustom dexter-fallback-chain nil
  "Models to try, in order, when `dexter-model' cannot answer.
The offline reference (builtin/reference) always comes last."
  :type '(repeat string))

(defcustom dexter-settings nil
  "Further settings for the section `dexter', as a plist.
Keys are the server's camelCase setting names as keywords, for example
  (:providers (:openai (:apiKeyEnv \"OPENAI_API_KEY\"))
   :explain (:timeoutSeconds 30))
`dexter-model' and `dexter-fallback-chain' win over the same keys here."
  :type '(plist :key-type symbol :value-type sexp))

(defcustom dexter-request-timeout 120
  "Seconds to wait for an explanation before giving up on it."
  :type 'number)

(defcustom dexter-select-model-scope "workspace"
  "Where `dexter-select-model' stores the choice.
\"workspace\" remembers it for the project across restarts, \"session\"
only until the server stops.  A prefix argument asks."
  :type '(choice (const "workspace") (const "session")))

(defvar-local dexter--client nil
  "How this buffer reaches Dexter: `lsp' (lsp-mode) or `eglot', or nil.")

(defvar dexter--request-counter 0
  "Counter for the ids that tie streamed chunks to their request.")

;;;; Talking to the server, whichever client carries it

(cl-defgeneric dexter-client-execute (client command arguments on-result on-error
                                             &optional token)
  "Ask CLIENT's Dexter server to run COMMAND with ARGUMENTS (a vector).
Call ON-RESULT with the result, or ON-ERROR with a message string.
TOKEN, when given, is the work-done progress token of the request.")

(cl-defgeneric dexter-client-notify (client method params)
  "Send the notification METHOD with PARAMS to CLIENT's Dexter server.")

(cl-defgeneric dexter-client-uri (client)
  "The URI under which CLIENT knows the current buffer.")

(cl-defgeneric dexter-client-position (client pos)
  "The LSP position (a plist) of buffer position POS, as CLIENT counts columns."
  (:method (_client pos)
           (save-excursion
             (goto-char pos)
             (list :line (1- (line-number-at-pos pos t))
                   :character (- pos (line-beginning-position))))))

(cl-defgeneric dexter-client-diagnostics (client)
  "Return the diagnostics of CLIENT's other servers in the current buffer.
A list of LSP Diagnostic plists; the default is none."
  (:method (_client) nil))

(defun dexter--require-client ()
  "Return the current buffer's Dexter client, or signal a user error."
  (or dexter--client
      (user-error "Dexter is not running for this buffer (start it with M-x lsp or eglot)")))

(defun dexter-get (object key)
  "The member KEY (a keyword) of the JSON OBJECT.
OBJECT may be a plist (eglot) or a hash table (lsp-mode)."
  (cond ((hash-table-p object) (gethash (substring (symbol-name key) 1) object))
        ((and (consp object) (keywordp (car object))) (plist-get object key))))

(defun dexter-plist (object)
  "OBJECT with every hash table (lsp-mode's JSON objects) turned into a plist."
  (cond ((hash-table-p object)
         (let (plist)
           (maphash (lambda (key value)
                      (setq plist (append plist (list (intern (concat ":" key))
                                                      (dexter-plist value)))))
                    object)
           plist))
        ((vectorp object) (vconcat (mapcar #'dexter-plist object)))
        (t object)))

(defun dexter--json (value)
  "VALUE made ready for JSON: lists that are not plists become vectors."
  (cond ((and (consp value) (keywordp (car value)))
         (cl-loop for (k v) on value by #'cddr
                  append (list k (dexter--json v))))
        ((consp value) (vconcat (mapcar #'dexter--json value)))
        ((vectorp value) (vconcat (mapcar #'dexter--json value)))
        (t value)))

(defun dexter-settings-section ()
  "The section `dexter' of the settings, as a plist ready for JSON."
  (let ((section (copy-sequence dexter-settings)))
    (when dexter-model
      (setq section (plist-put section :model dexter-model)))
    (when dexter-fallback-chain
      (setq section (plist-put section :fallbackChain dexter-fallback-chain)))
    (dexter--json section)))

;;;; Explaining

(defun dexter-explain-target (target &optional model)
  "Explain TARGET, an object {uri, diagnostic}, in the explanation buffer.
MODEL, a \"provider/model\" id, overrides the chosen model once.
The buffer fills in as the answer streams in."
  (let* ((client (dexter--require-client))
         (id (format "emacs-%d" (cl-incf dexter--request-counter)))
         (options (append (list :id id) (and model (list :model model))))
         (source (current-buffer)))
    (dexter-view-start id (dexter-get target :uri) (dexter-get target :diagnostic)
                       source target)
    (run-with-timer dexter-request-timeout nil #'dexter-view-fail id
                    (format "no answer after %s seconds" dexter-request-timeout))
    (dexter-client-execute
     client "dexter.explain" (vector target options)
     (lambda (result) (dexter-view-finish id result))
     (lambda (message) (dexter-view-fail id message))
     id)
    id))

(defun dexter--diagnostic-choices ()
  "Diagnostics at point as (LABEL . LSP-DIAGNOSTIC), nearest first."
  (let ((seen (make-hash-table :test 'equal))
        choices)
    (dolist (diag (append (dexter-diagnostics-at-point
                           (lambda (pos) (dexter-client-position dexter--client pos)))
                          (dexter--client-diagnostics-at-point)))
      (let ((key (list (plist-get diag :message) (plist-get diag :range))))
        (unless (gethash key seen)
          (puthash key t seen)
          (push (cons (dexter-diagnostic-label diag) diag) choices))))
    (nreverse choices)))

(defun dexter--client-diagnostics-at-point ()
  "Diagnostics of the client's other servers on the current line."
  (let ((line (1- (line-number-at-pos (point) t))))
    (cl-remove-if-not
     (lambda (diag)
       (let ((range (plist-get diag :range)))
         (<= (plist-get (plist-get range :start) :line) line
             (plist-get (plist-get range :end) :line))))
     (dexter-client-diagnostics dexter--client))))

;;;###autoload
(defun dexter-explain-at-point (&optional model)
  "Explain the diagnostic at point; with several, ask which one.
With a prefix argument, ask which MODEL to use for this explanation."
  (interactive (list (and current-prefix-arg (dexter--read-model "Explain with model: "))))
  (let* ((client (dexter--require-client))
         (choices (or (dexter--diagnostic-choices)
                      (user-error "No diagnostic at point")))
         (diag (if (cdr choices)
                   (cdr (assoc (completing-read "Explain: " choices nil t) choices))
                 (cdar choices))))
    (dexter-explain-target (list :uri (dexter-client-uri client) :diagnostic diag) model)))

;;;; Models

(defun dexter--execute-sync (command arguments)
  "Run COMMAND with ARGUMENTS on the server and wait for its result."
  (let ((client (dexter--require-client))
        (done nil) result failure)
    (dexter-client-execute client command arguments
                           (lambda (value) (setq result value done t))
                           (lambda (message) (setq failure message done t)))
    (with-timeout (dexter-request-timeout
                   (user-error "Dexter: %s timed out" command))
      (while (not done)
        (accept-process-output nil 0.05)))
    (when failure
      (user-error "Dexter: %s failed: %s" command failure))
    result))

(defun dexter--model-annotation (model)
  "A short description of MODEL (a listModels entry) for completion."
  (let ((parts (delq nil (list (dexter-get model :status)
                               (dexter-get model :family)
                               (dexter-get model :parameterSize)
                               (and (eq (dexter-get model :local) t) "local")
                               (dexter-get model :statusDetail)))))
    (concat "  " (mapconcat (lambda (p) (format "%s" p)) parts " · "))))

(defun dexter--read-model (prompt)
  "Ask with PROMPT for one of the models the server lists; return its id."
  (let* ((listing (dexter--execute-sync "dexter.listModels" nil))
         (models (append (dexter-get listing :models) nil))
         (table (mapcar (lambda (m) (cons (dexter-get m :id) m)) models))
         (completion-extra-properties
          (list :annotation-function
                (lambda (id) (dexter--model-annotation (cdr (assoc id table)))))))
    (unless table
      (user-error "Dexter lists no models"))
    (completing-read prompt table nil t)))

;;;###autoload
(defun dexter-select-model (model &optional scope)
  "Choose the MODEL Dexter asks first, from the models the server lists.
SCOPE is \"workspace\" (remembered for the project) or \"session\";
`dexter-select-model-scope' by default, asked with a prefix argument."
  (interactive
   (list (dexter--read-model "Dexter model: ")
         (if current-prefix-arg
             (completing-read "Remember for: " '("workspace" "session") nil t)
           dexter-select-model-scope)))
  (let* ((client (dexter--require-client))
         (result (dexter--execute-sync
                  "dexter.selectModel"
                  (vector model (or scope dexter-select-model-scope)
                          (list :uri (dexter-client-uri client))))))
    (message "Dexter: %s now answers first (%s)" model
             (or (dexter-get result :scope) scope))
    result))

;;;###autoload
(defun dexter-refresh-settings ()
  "Send the current Dexter settings to the server of this buffer."
  (interactive)
  (dexter-client-notify (dexter--require-client) "workspace/didChangeConfiguration"
                        (list :settings (list :dexter (dexter-settings-section)))))

;;;; Forwarding other tools' diagnostics

(defun dexter--forward (buffer)
  "Send BUFFER's diagnostics to its Dexter server when they changed."
  (when (buffer-live-p buffer)
    (with-current-buffer buffer
      (when dexter--client
        (let ((diagnostics (sort (append (dexter-diagnostics-collect
                                          (lambda (pos)
                                            (dexter-client-position dexter--client pos)))
                                         (dexter-client-diagnostics dexter--client)
                                         nil)   ; a copy: `sort' reorders conses
                                 #'dexter-diagnostics-before-p)))
          (when (dexter-diagnostics-changed-p diagnostics)
            (dexter-client-notify dexter--client "dexter/didChangeDiagnostics"
                                  (list :uri (dexter-client-uri dexter--client)
                                        :diagnostics (vconcat diagnostics)))))))))

(defun dexter-attach (client)
  "Mark the current buffer as served by Dexter through CLIENT.
Its diagnostics are forwarded to the server from now on."
  (setq dexter--client client)
  (dexter-diagnostics-watch #'dexter--forward))

(defun dexter-detach ()
  "Stop forwarding the current buffer's diagnostics."
  (setq dexter--client nil)
  (dexter-diagnostics-unwatch))

(provide 'dexter)

;; After `provide': the client modules require this one.
;;;###autoload
(with-eval-after-load 'lsp-mode (require 'dexter-lsp))
;;;###autoload
(with-eval-after-load 'eglot (require 'dexter-eglot))
;;; dexter.el ends here
