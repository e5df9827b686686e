;;; dexter-lsp.el --- Dexter LS as an lsp-mode add-on client -*- lexical-binding: t; -*-

;; Copyright (C) 2026 The Dexter LS authors

;; This file is not part of GNU Emacs.

;;; Commentary:

;; Registers `dexter-ls' with lsp-mode as an add-on client (`:add-on? t'):
;; lsp-mode starts it beside the buffer's main server (pyright, ruff,
;; rust-analyzer, ...) and merges their code actions and hovers.
;;
;; - The client declares `experimental.dexterExplanationView', so the
;;   server leaves showing the answer to this package.
;; - Choosing "Dexter: explain …" runs `dexter.explain' from here (an
;;   action handler), so the answer opens in the explanation buffer and
;;   fills in as `dexter/explanationChunk' notifications arrive.
;; - Settings go to the server under the section `dexter' (initialization
;;   options and `workspace/configuration').

;;; Code:

(require 'cl-lib)
(require 'lsp-mode)
(require 'dexter)

(defcustom dexter-lsp-activation-modes '(prog-mode)
  "Major modes (and modes derived from them) in which lsp-mode starts Dexter."
  :type '(repeat symbol)
  :group 'dexter)

(defconst dexter-lsp-server-id 'dexter-ls
  "The lsp-mode server id of Dexter LS.")

(defun dexter-lsp--activate-p (_file-name mode)
  "Non-nil when Dexter should serve a buffer in major MODE."
  (and (cl-some (lambda (m) (provided-mode-derived-p mode m)) dexter-lsp-activation-modes)
       t))

(defun dexter-lsp--dexter-workspace-p (workspace)
  "Non-nil when WORKSPACE is a Dexter server."
  (eq (lsp--client-server-id (lsp--workspace-client workspace)) dexter-lsp-server-id))

(defun dexter-lsp-workspace ()
  "The Dexter workspace serving the current buffer, or nil."
  (cl-find-if #'dexter-lsp--dexter-workspace-p (lsp-workspaces)))

(defun dexter-lsp--workspace-or-lose ()
  "The Dexter workspace of the current buffer, or signal a user error."
  (or (dexter-lsp-workspace)
      (user-error "Dexter LS is not running for this buffer")))

(defun dexter-lsp--error-text (error)
  "A readable message for the JSON-RPC ERROR lsp-mode reports."
  (or (and (hash-table-p error) (gethash "message" error))
      (dexter-get error :message)
      (format "%S" error)))

(cl-defmethod dexter-client-execute ((_client (eql lsp)) command arguments on-result on-error
                                     &optional token)
  "Run COMMAND with ARGUMENTS on this buffer's Dexter server only.
Call ON-RESULT with the result or ON-ERROR with a message.  TOKEN is the
work-done progress token, if any."
  (with-lsp-workspace (dexter-lsp--workspace-or-lose)
    (lsp-request-async "workspace/executeCommand"
                       (append (list :command command)
                               (and arguments (list :arguments arguments))
                               (and token (list :workDoneToken token)))
                       on-result
                       :error-handler (lambda (error)
                                        (funcall on-error (dexter-lsp--error-text error)))
                       :mode 'detached
                       ;; A new explanation cancels the one still running.
                       :cancel-token (and (equal command "dexter.explain")
                                          :dexter-explain))))

(cl-defmethod dexter-client-notify ((_client (eql lsp)) method params)
  "Send METHOD with PARAMS to this buffer's Dexter server, if any."
  (when-let ((workspace (dexter-lsp-workspace)))
    (with-lsp-workspace workspace
      (lsp-notify method params))))

(cl-defmethod dexter-client-uri ((_client (eql lsp)))
  "The URI lsp-mode gives the current buffer."
  (lsp--buffer-uri))

(cl-defmethod dexter-client-position ((_client (eql lsp)) pos)
  "The LSP position of POS, with lsp-mode's column counting."
  (let ((position (lsp--point-to-position pos)))
    (list :line (dexter-get position :line) :character (dexter-get position :character))))

(cl-defmethod dexter-client-diagnostics ((_client (eql lsp)))
  "Return the diagnostics lsp-mode has for the current buffer (every server)."
  (mapcar #'dexter-plist (lsp--get-buffer-diagnostics)))

(defun dexter-lsp--explain-action (action)
  "Run the code action ACTION (the command `dexter.explain') from Emacs.
The answer shows in the explanation buffer as it streams in."
  (let ((arguments (dexter-get action :arguments)))
    (dexter-explain-target (aref arguments 0)
                           (and (> (length arguments) 1)
                                (dexter-get (aref arguments 1) :model)))))

(defun dexter-lsp--chunk (_workspace params)
  "Handle the notification `dexter/explanationChunk' with PARAMS."
  (dexter-view-chunk params))

(defun dexter-lsp--progress (workspace params)
  "Show the progress PARAMS of an explanation, then let lsp-mode show WORKSPACE's."
  (dexter-view-progress params)
  (funcall lsp-progress-function workspace params))

(defun dexter-lsp--configuration (workspace params)
  "Answer WORKSPACE's `workspace/configuration' request PARAMS.
The section `dexter' comes from this package's options (buffer-local
values, e.g. from .dir-locals.el, included); other sections as lsp-mode
answers them."
  (let ((buffer (cl-find-if #'buffer-live-p (lsp--workspace-buffers workspace))))
    (with-current-buffer (or buffer (current-buffer))
      (vconcat
       (mapcar (lambda (item)
                 (let ((section (dexter-get item :section)))
                   (if (member section '("dexter" nil))
                       (or (dexter-settings-section) (make-hash-table))
                     (gethash section (lsp-configuration-section section)))))
               (dexter-get params :items))))))

(defun dexter-lsp--after-open ()
  "Forward the diagnostics of a buffer Dexter now serves."
  (dexter-attach 'lsp))

(defun dexter-lsp--managed-mode-changed ()
  "Stop forwarding when lsp-mode stops managing the buffer."
  (when (and (eq dexter--client 'lsp) (not (bound-and-true-p lsp-managed-mode)))
    (dexter-detach)))

(add-hook 'lsp-managed-mode-hook #'dexter-lsp--managed-mode-changed)

(defun dexter-lsp--diagnostics-updated ()
  "Forward, debounced, what lsp-mode's servers published to Dexter's buffers.
Buffers whose diagnostics did not change send nothing."
  (dolist (buffer (buffer-list))
    (when (eq (buffer-local-value 'dexter--client buffer) 'lsp)
      (with-current-buffer buffer
        (dexter-diagnostics-schedule)))))

(add-hook 'lsp-diagnostics-updated-hook #'dexter-lsp--diagnostics-updated)

(defun dexter-lsp--table (&rest pairs)
  "A hash table (test `equal') of the key-value PAIRS."
  (let ((table (make-hash-table :test 'equal)))
    (while pairs
      (puthash (pop pairs) (pop pairs) table))
    table))

(lsp-register-client
 (make-lsp-client
  :new-connection (lsp-stdio-connection (lambda () dexter-server-command))
  :activation-fn #'dexter-lsp--activate-p
  :add-on? t
  :priority -2
  :server-id dexter-lsp-server-id
  :multi-root t
  :initialization-options #'dexter-settings-section
  :custom-capabilities '((experimental . ((dexterExplanationView . t))))
  :action-handlers (dexter-lsp--table "dexter.explain" #'dexter-lsp--explain-action)
  :notification-handlers (dexter-lsp--table
                          "dexter/explanationChunk" #'dexter-lsp--chunk
                          "$/progress" #'dexter-lsp--progress)
  :request-handlers (dexter-lsp--table
                     "workspace/configuration" #'dexter-lsp--configuration)
  :after-open-fn #'dexter-lsp--after-open))

(provide 'dexter-lsp)
;;; dexter-lsp.el ends here
